using Microsoft.Extensions.Options;

namespace Parley.Features.Attachments;

/// <summary>The store could not be reached or written (a full disk, a bucket away); the upload can be tried again.</summary>
public sealed class FileStoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Files by key (<c>{user}/{attachment}</c> and suffixes), outside the database.</summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, whole or not at all.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>The file, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Deletes the file; a key with no file is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>
/// A folder on this machine (<c>Storage__Path</c>). A file is written beside its final name and renamed into place,
/// so a killed process leaves no half file under a key; the leftovers (<c>*.part</c>) are never read.
/// </summary>
internal sealed class LocalFileStore(IOptions<StorageOptions> options) : IFileStore
{
    private readonly string _root = System.IO.Path.GetFullPath(options.Value.Path);

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var part = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }

            File.Move(part, path, overwrite: true);
        }
        catch (IOException ex)
        {
            throw new FileStoreUnavailableException("The file could not be written to the storage folder.", ex);
        }
        finally
        {
            File.Delete(part); // gone already unless the copy failed
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        // Keys are made by Parley from ids; this guards the folder should one ever come from elsewhere.
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(_root, key));
        if (!path.StartsWith(_root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The storage key '{key}' leaves the storage folder.", nameof(key));
        }

        return path;
    }
}
