using Microsoft.Extensions.Options;
using BC = BCrypt.Net.BCrypt;

namespace Parley.Features.Auth;

/// <summary>
/// bcrypt over a SHA-384 pre-hash (BCrypt.Net's "enhanced" mode). bcrypt alone ignores everything past 72 bytes,
/// so two long passphrases sharing a prefix would collide; the pre-hash makes every byte count.
/// A singleton: the decoy hash below is made once per process, so every sign-in costs exactly one bcrypt.
/// </summary>
public sealed class Passwords(IOptions<AuthOptions> options)
{
    public const int MinLength = 8;
    public const int MaxLength = 1024;

    // A real hash to verify against when the email is unknown, so both answers cost one bcrypt verification at the
    // same work factor and take as long (no user enumeration by timing).
    private readonly Lazy<string> _decoy = new(() => BC.EnhancedHashPassword(
        Guid.NewGuid().ToString(), options.Value.BcryptWorkFactor, BCrypt.Net.HashType.SHA384));

    public string Hash(string password) =>
        BC.EnhancedHashPassword(password, options.Value.BcryptWorkFactor, BCrypt.Net.HashType.SHA384);

    public bool Verify(string password, string? hash)
    {
        if (hash is null)
        {
            _ = BC.EnhancedVerify(password, _decoy.Value, BCrypt.Net.HashType.SHA384);
            return false;
        }

        return BC.EnhancedVerify(password, hash, BCrypt.Net.HashType.SHA384);
    }
}
