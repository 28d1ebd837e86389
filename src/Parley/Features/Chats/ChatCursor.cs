using System.Globalization;
using System.Text;

namespace Parley.Features.Chats;

/// <summary>Opaque keyset cursor for the chat list: the (UpdatedAt, Id) of the last chat on the previous page.</summary>
public readonly record struct ChatCursor(DateTime UpdatedAt, long Id)
{
    public override string ToString() => Convert.ToBase64String(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{UpdatedAt.Ticks}.{Id}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? text, out ChatCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(base64)).Split('.');
            if (parts.Length == 2 &&
                long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks is >= 0 and <= 3155378975999999999 &&
                long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                cursor = new ChatCursor(new DateTime(ticks, DateTimeKind.Utc), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
