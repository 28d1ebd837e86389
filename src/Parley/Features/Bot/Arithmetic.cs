using System.Globalization;

namespace Parley.Features.Bot;

/// <summary>
/// A small recursive-descent calculator for the built-in bot: + - * / % ^, parentheses, unary minus, decimals.
/// Returns null for anything that is not purely an arithmetic expression.
/// </summary>
public static class Arithmetic
{
    public static double? TryEvaluate(string text)
    {
        var parser = new Parser(text);
        try
        {
            var value = parser.Expression();
            parser.SkipSpaces();
            return parser.AtEnd && parser.SawOperator && double.IsFinite(value) ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Format(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-9 && Math.Abs(value) < 1e15
            ? Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture)
            : value.ToString("#,0.##########", CultureInfo.InvariantCulture);

    private sealed class Parser(string text)
    {
        private int _pos;
        private int _depth;

        public bool SawOperator { get; private set; }
        public bool AtEnd => _pos >= text.Length;

        public void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        public double Expression()
        {
            var value = Term();
            while (Accept('+', '-') is { } op)
            {
                var right = Term();
                value = op == '+' ? value + right : value - right;
            }

            return value;
        }

        private double Term()
        {
            var value = Power();
            while (Accept('*', '/', '%', 'x', '×', '÷') is { } op)
            {
                var right = Power();
                value = op switch
                {
                    '/' or '÷' => right == 0 ? throw new FormatException("division by zero") : value / right,
                    '%' => right == 0 ? throw new FormatException("division by zero") : value % right,
                    _ => value * right,
                };
            }

            return value;
        }

        private double Power()
        {
            var value = Unary();
            if (Accept('^') is not null)
            {
                value = Math.Pow(value, Power()); // right-associative
            }

            return value;
        }

        private double Unary()
        {
            SkipSpaces();
            if (_pos < text.Length && text[_pos] == '-')
            {
                _pos++;
                return -Unary();
            }

            return Primary();
        }

        private double Primary()
        {
            SkipSpaces();
            if (_pos < text.Length && text[_pos] == '(')
            {
                if (++_depth > 50)
                {
                    throw new FormatException("nested too deeply");
                }

                _pos++;
                var value = Expression();
                if (Accept(')') is null)
                {
                    throw new FormatException("missing )");
                }

                _depth--;
                return value;
            }

            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '.' || text[_pos] == ','))
            {
                _pos++;
            }

            var number = text[start.._pos].Replace(",", "", StringComparison.Ordinal);
            return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException("number expected");
        }

        private char? Accept(params char[] ops)
        {
            SkipSpaces();
            if (_pos < text.Length && Array.IndexOf(ops, char.ToLowerInvariant(text[_pos])) >= 0)
            {
                SawOperator = true;
                return char.ToLowerInvariant(text[_pos++]);
            }

            return null;
        }
    }
}
