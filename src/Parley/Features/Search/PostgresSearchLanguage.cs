using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Hosting;

namespace Parley.Features.Search;

/// <summary>
/// Makes the <c>parley_search</c> text-search configuration use <c>Search__Language</c>'s dictionaries (behind
/// unaccent, so diacritics never matter), and when that changed, writes every message's and title's tsvector again,
/// before the app takes requests. The language in use is the configuration's comment. Runs after the migrations.
/// </summary>
internal sealed class PostgresSearchLanguage(
    IServiceProvider services, IOptions<SearchOptions> options, ILogger<PostgresSearchLanguage> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var language = options.Value.Language;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await InUseAsync(db, cancellationToken) == language)
        {
            return;
        }

        // Instances starting together: one rebuilds, the others then find it done.
        await using var held = await scope.ServiceProvider.GetRequiredService<IKeyedLock>().AcquireAsync("parley-search-language", cancellationToken);
        if (await InUseAsync(db, cancellationToken) == language)
        {
            return;
        }

        var mappings = await db.Database.SqlQuery<Mapping>($"""
            SELECT t.alias AS "Token", string_agg(quote_ident(d.dictname), ', ' ORDER BY m.mapseqno) AS "Dictionaries"
            FROM pg_ts_config c
            JOIN pg_ts_config_map m ON m.mapcfg = c.oid
            JOIN ts_token_type(c.cfgparser) t ON t.tokid = m.maptokentype
            JOIN pg_ts_dict d ON d.oid = m.mapdict
            WHERE c.cfgname = {language}
            GROUP BY t.alias
            """).ToListAsync(cancellationToken);
        if (mappings.Count == 0)
        {
            throw new SettingsException(
                $"Search__Language is '{language}', which is not a text search configuration on this PostgreSQL server (see \\dF in psql; simple and english always are).");
        }

        logger.LogWarning("The search language changes to {Language}: every message is indexed again; this may take a while", language);
        db.Database.SetCommandTimeout(0); // every message's vector is written again: minutes on a large database
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Words with letters outside ASCII go through unaccent first; the rest as the language has them.
        await db.Database.ExecuteSqlRawAsync(
            "ALTER TEXT SEARCH CONFIGURATION parley_search DROP MAPPING IF EXISTS FOR " +
            "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart, " +
            "email, protocol, url, host, url_path, file, sfloat, float, int, uint, version, tag, entity, blank",
            cancellationToken);
        foreach (var mapping in mappings)
        {
            // DDL takes no parameters: the names come from the catalog, the dictionaries through quote_ident.
            var dictionaries = mapping.Token is "word" or "hword" or "hword_part" ? "unaccent, " + mapping.Dictionaries : mapping.Dictionaries;
            var map = $"ALTER TEXT SEARCH CONFIGURATION parley_search ADD MAPPING FOR {mapping.Token} WITH {dictionaries}";
            await db.Database.ExecuteSqlRawAsync(map, cancellationToken);
        }

        var comment = $"COMMENT ON TEXT SEARCH CONFIGURATION parley_search IS '{language}'"; // [a-z_]+, checked by SearchOptions
        await db.Database.ExecuteSqlRawAsync(comment, cancellationToken);
        var messages = await db.Database.ExecuteSqlRawAsync("""
            UPDATE "Messages" m SET "SearchVector" = parley_search_vector(m."Content", c."UserId")
            FROM "Chats" c WHERE c."Id" = m."ChatId" AND m."Status" <> 'Streaming'
            """, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""UPDATE "Chats" SET "SearchVector" = parley_search_vector("Title", "UserId")""", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Search now uses {Language}: {Messages} messages indexed again", language, messages);
    }

    private sealed record Mapping(string Token, string Dictionaries);

    private static Task<string?> InUseAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<string?>($"""SELECT obj_description('parley_search'::regconfig, 'pg_ts_config') AS "Value" """).SingleAsync(ct);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
