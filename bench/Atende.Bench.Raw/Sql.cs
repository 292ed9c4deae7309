namespace Atende.Bench.Raw;

/// <summary>
/// Every statement this app runs, per provider: what Atende sends (EF Core's command log) for the same requests as the
/// admin: the first page of a pipeline in the default order (<c>-updatedAt</c>, 50 rows, so <c>LIMIT 51</c>), and a
/// search of words in it. The statements Atende runs only to load and check the caller (token or cookie, workspaces,
/// grants) and the company's time zone of a search are not here: this app has no sign-in and reads no dates;
/// <c>bench/ab-raw.sh</c> reports that floor separately.
/// <para>
/// <b>To re-sync</b> after Atende's queries change: <c>bench/capture-sql.sh DB</c> (a SQLite file or a PostgreSQL connection
/// string) prints the statements of each request; paste those of <c>list-json</c> and of <c>search-json q=joao silva</c>
/// (a two-word search that goes past the window) over the copies below, verbatim. <see cref="TicketQueries"/> adapts
/// three things to each request: the <c>LIKE @pattern…</c> conditions, repeated once per word; an
/// <c>IN (@ids1, @ids2…)</c> list (SQLite), written for the ids at hand and padded as EF pads it; and the values of the
/// parameters, bound by the names EF gave them (a renamed parameter fails loudly). Columns are read by name: a statement
/// that selects fewer columns needs no code change while it keeps the ones the list shows.
/// </para>
/// </summary>
/// <param name="Health">GET /healthz (Atende's database health check).</param>
/// <param name="List">The first page of the list.</param>
/// <param name="SearchWindow">A search looks for matches among the next <c>@p</c> rows of the list first…</param>
/// <param name="WindowCount">… when they are too few, checks whether that window held the whole list…</param>
/// <param name="SearchIds">… if not, on PostgreSQL reads the ids of every match (null on SQLite)…</param>
/// <param name="SearchNarrowed">… and reads the page among the matches (SQLite: through the FTS5 index).</param>
/// <param name="Assignees">The names of the page's assignees, or null when the list's statement reads them (an "AssigneeName" column).</param>
/// <param name="Tags">The tags of the page's tickets.</param>
public sealed record Sql(string Health, string List, string SearchWindow, string WindowCount, string? SearchIds, string SearchNarrowed,
    string? Assignees, string Tags)
{
    public static readonly Sql Sqlite = new(
        Health: """
            SELECT EXISTS (
                SELECT 1
                FROM "Workspaces" AS "w")
            """,
        List: """
            SELECT "t"."Id", "t"."Reference", "t"."PipelineId", "t"."Title", "t"."RequesterName", "t"."PartnerId", "t"."Status", "t"."Value", "t"."CreatedAt", "t"."UpdatedAt", "t"."DueAt", "t"."AssigneeId", (
                SELECT "u"."Name"
                FROM "Users" AS "u"
                WHERE "u"."Id" = "t"."AssigneeId"
                LIMIT 1) AS "AssigneeName", "t"."Edited", "t"."Bin", "t"."TitleSort", "t"."RequesterSort", "t"."AssigneeSort"
            FROM "Tickets" AS "t"
            WHERE "t"."Bin" = @filter_Bin AND "t"."PipelineId" = @pipelineId
            ORDER BY "t"."UpdatedAt" DESC, "t"."Id" DESC
            LIMIT @p
            """,
        SearchWindow: """
            SELECT "t0"."Id", "t0"."Reference", "t0"."PipelineId", "t0"."Title", "t0"."RequesterName", "t0"."PartnerId", "t0"."Status", "t0"."Value", "t0"."CreatedAt", "t0"."UpdatedAt", "t0"."DueAt", "t0"."AssigneeId", (
                SELECT "u"."Name"
                FROM "Users" AS "u"
                WHERE "u"."Id" = "t0"."AssigneeId"
                LIMIT 1) AS "AssigneeName", "t0"."Edited", "t0"."Bin", "t0"."TitleSort", "t0"."RequesterSort", "t0"."AssigneeSort"
            FROM (
                SELECT "t"."Id", "t"."AssigneeId", "t"."AssigneeSort", "t"."Bin", "t"."CreatedAt", "t"."DueAt", "t"."Edited", "t"."PartnerId", "t"."PipelineId", "t"."Reference", "t"."RequesterName", "t"."RequesterSort", "t"."SearchText", "t"."Status", "t"."Title", "t"."TitleSort", "t"."UpdatedAt", "t"."Value"
                FROM "Tickets" AS "t"
                WHERE "t"."Bin" = @filter_Bin AND "t"."PipelineId" = @pipelineId
                ORDER BY "t"."UpdatedAt" DESC, "t"."Id" DESC
                LIMIT @p
            ) AS "t0"
            WHERE "t0"."SearchText" LIKE @pattern AND "t0"."SearchText" LIKE @pattern6
            ORDER BY "t0"."UpdatedAt" DESC, "t0"."Id" DESC
            LIMIT @p7
            """,
        WindowCount: """
            SELECT COUNT(*)
            FROM (
                SELECT 1
                FROM "Tickets" AS "t"
                WHERE "t"."Bin" = @filter_Bin AND "t"."PipelineId" = @pipelineId
                ORDER BY "t"."UpdatedAt" DESC, "t"."Id" DESC
                LIMIT @p
            ) AS "t0"
            """,
        SearchIds: null,
        SearchNarrowed: """
            SELECT "t"."Id", "t"."Reference", "t"."PipelineId", "t"."Title", "t"."RequesterName", "t"."PartnerId", "t"."Status", "t"."Value", "t"."CreatedAt", "t"."UpdatedAt", "t"."DueAt", "t"."AssigneeId", (
                SELECT "u"."Name"
                FROM "Users" AS "u"
                WHERE "u"."Id" = "t"."AssigneeId"
                LIMIT 1) AS "AssigneeName", "t"."Edited", "t"."Bin", "t"."TitleSort", "t"."RequesterSort", "t"."AssigneeSort"
            FROM "Tickets" AS "t"
            WHERE "t"."Bin" = @filter_Bin AND "t"."PipelineId" = @pipelineId AND "t"."Id" IN (
                SELECT "s"."Value"
                FROM (
                    SELECT rowid AS "Value" FROM TicketSearch WHERE TicketSearch MATCH @p0
                ) AS "s"
            ) AND "t"."SearchText" LIKE @pattern AND "t"."SearchText" LIKE @pattern6
            ORDER BY "t"."UpdatedAt" DESC, "t"."Id" DESC
            LIMIT @p7
            """,
        Assignees: null,
        Tags: """
            SELECT "t"."TicketId", "t"."TagId"
            FROM "TicketTags" AS "t"
            WHERE "t"."TicketId" IN (
                SELECT "i"."value"
                FROM json_each(@ids) AS "i"
            )
            """);

    public static readonly Sql Postgres = new(
        Health: """
            SELECT EXISTS (
                SELECT 1
                FROM "Workspaces" AS w)
            """,
        List: """
            SELECT t."Id", t."Reference", t."PipelineId", t."Title", t."RequesterName", t."PartnerId", t."Status", t."Value", t."CreatedAt", t."UpdatedAt", t."DueAt", t."AssigneeId", (
                SELECT u."Name"
                FROM "Users" AS u
                WHERE u."Id" = t."AssigneeId"
                LIMIT 1) AS "AssigneeName", t."Edited", t."Bin", t."TitleSort", t."RequesterSort", t."AssigneeSort"
            FROM "Tickets" AS t
            WHERE t."Bin" = @filter_Bin AND t."PipelineId" = @pipelineId
            ORDER BY t."UpdatedAt" DESC, t."Id" DESC
            LIMIT @p
            """,
        SearchWindow: """
            SELECT t0."Id", t0."Reference", t0."PipelineId", t0."Title", t0."RequesterName", t0."PartnerId", t0."Status", t0."Value", t0."CreatedAt", t0."UpdatedAt", t0."DueAt", t0."AssigneeId", (
                SELECT u."Name"
                FROM "Users" AS u
                WHERE u."Id" = t0."AssigneeId"
                LIMIT 1) AS "AssigneeName", t0."Edited", t0."Bin", t0."TitleSort", t0."RequesterSort", t0."AssigneeSort"
            FROM (
                SELECT t."Id", t."AssigneeId", t."AssigneeSort", t."Bin", t."CreatedAt", t."DueAt", t."Edited", t."PartnerId", t."PipelineId", t."Reference", t."RequesterName", t."RequesterSort", t."SearchText", t."Status", t."Title", t."TitleSort", t."UpdatedAt", t."Value"
                FROM "Tickets" AS t
                WHERE t."Bin" = @filter_Bin AND t."PipelineId" = @pipelineId
                ORDER BY t."UpdatedAt" DESC, t."Id" DESC
                LIMIT @p
            ) AS t0
            WHERE t0."SearchText" LIKE @pattern ESCAPE '' AND t0."SearchText" LIKE @pattern6 ESCAPE ''
            ORDER BY t0."UpdatedAt" DESC, t0."Id" DESC
            LIMIT @p7
            """,
        WindowCount: """
            SELECT count(*)::int
            FROM (
                SELECT 1
                FROM "Tickets" AS t
                WHERE t."Bin" = @filter_Bin AND t."PipelineId" = @pipelineId
                ORDER BY t."UpdatedAt" DESC, t."Id" DESC
                LIMIT @p
            ) AS t0
            """,
        SearchIds: """
            SELECT t."Id"
            FROM "Tickets" AS t
            WHERE t."Bin" = @filter_Bin AND t."PipelineId" = @pipelineId AND t."SearchText" LIKE @pattern ESCAPE '' AND t."SearchText" LIKE @pattern5 ESCAPE ''
            LIMIT @p
            """,
        SearchNarrowed: """
            SELECT t."Id", t."Reference", t."PipelineId", t."Title", t."RequesterName", t."PartnerId", t."Status", t."Value", t."CreatedAt", t."UpdatedAt", t."DueAt", t."AssigneeId", (
                SELECT u."Name"
                FROM "Users" AS u
                WHERE u."Id" = t."AssigneeId"
                LIMIT 1) AS "AssigneeName", t."Edited", t."Bin", t."TitleSort", t."RequesterSort", t."AssigneeSort"
            FROM "Tickets" AS t
            WHERE t."Id" = ANY (@matches)
            ORDER BY t."UpdatedAt" DESC, t."Id" DESC
            LIMIT @p
            """,
        Assignees: null,
        Tags: """
            SELECT t."TicketId", t."TagId"
            FROM "TicketTags" AS t
            WHERE t."TicketId" = ANY (@ids)
            """);
}
