using System.Data.Common;
using Atende.Core.Common;
using Atende.Core.Data;
using MailKit;
using MailKit.Search;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>What one round of the poller did.</summary>
public sealed record PollResult(int Appended, int Created, int Unmatched, int Ignored, int Quarantined, int AlreadyProcessed, bool More)
{
    /// <summary>The round in words, for the settings page (pt-BR).</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            void Add(int n, string one, string many)
            {
                if (n > 0)
                {
                    parts.Add($"{n} {(n == 1 ? one : many)}");
                }
            }
            Add(Appended, "resposta registrada", "respostas registradas");
            Add(Created, "atendimento aberto", "atendimentos abertos");
            Add(Unmatched, "mensagem deixada sem ler", "mensagens deixadas sem ler");
            Add(Ignored, "resposta automática ignorada", "respostas automáticas ignoradas");
            Add(Quarantined, "mensagem em quarentena", "mensagens em quarentena");
            var text = parts.Count == 0 ? "Nenhuma mensagem nova." : string.Join(", ", parts) + ".";
            return More ? text + " Há mais mensagens; a leitura continua." : text;
        }
    }
}

/// <summary>
/// Reads the company mailbox: every round (and when woken) it lists the unread messages, skips those already processed
/// (by Message-ID: <see cref="InboundEmail"/> is unique per mailbox), and hands each new one to <see cref="InboundMail"/> in a
/// transaction of its own. Messages that were dealt with are then marked read; those left alone stay unread. A message
/// that cannot be read or processed is quarantined (a row saying why) and the round goes on; a failing server or database
/// ends the round, which the next one repeats safely.
/// </summary>
public sealed class ImapPoller(IServiceScopeFactory scopes, InboxSignal signal, IOptions<InboxOptions> options, ILogger<ImapPoller> log) : BackgroundService
{
    private readonly SemaphoreSlim _oneRound = new(1, 1);

    private InboxOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Poller)
        {
            return;
        }
        var poll = TimeSpan.FromSeconds(Math.Max(0.05, Options.PollSeconds));
        await signal.RunRounds(async ct => await PollOnce(ct) is { More: true }, poll, log, "mailbox", stoppingToken);
    }

    /// <summary>One round; null when the mailbox is off, not set up or unreachable (the settings then say why).</summary>
    public async Task<PollResult?> PollOnce(CancellationToken ct)
    {
        await _oneRound.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var settings = await db.ImapSettings.AsNoTracking().FirstOrDefaultAsync(ct);
            if (settings is not { Enabled: true })
            {
                return null;
            }
            var account = await ImapSettingsService.LoadAccount(db, scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(), ct);
            if (account is null)
            {
                return null;
            }
            try
            {
                var (client, folder) = await ImapReader.Open(account, ct);
                using (client)
                {
                    var result = await Read(folder, account, settings, ct);
                    await client.DisconnectAsync(true, ct);
                    await Report(db, result.Summary, failed: false, ct);
                    return result;
                }
            }
            catch (Exception e) when (ImapReader.IsImapFailure(e) && !ct.IsCancellationRequested)
            {
                var why = ImapReader.Describe(e, account);
                log.LogWarning("The mailbox {Account} could not be read: {Why}", account, why);
                await Report(db, why, failed: true, ct);
                return null;
            }
        }
        finally
        {
            _oneRound.Release();
        }
    }

    private async Task<PollResult> Read(IMailFolder folder, ImapAccount account, ImapSettings settings, CancellationToken ct)
    {
        var mailbox = account.Mailbox;
        var unread = await folder.SearchAsync(SearchQuery.NotSeen, ct);
        if (unread.Count == 0)
        {
            return new PollResult(0, 0, 0, 0, 0, 0, false);
        }
        var summaries = (await folder.FetchAsync(unread, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Size), ct))
            .OrderBy(s => s.UniqueId).ToList();
        var known = await Known(mailbox, summaries.Select(s => s.Envelope?.MessageId).OfType<string>().Select(id => id.Trim()).ToList(), ct);
        var counts = new Dictionary<InboundStatus, int>();
        var done = new List<UniqueId>();
        var alreadyProcessed = 0;
        var taken = 0;
        var more = false;
        foreach (var summary in summaries)
        {
            var envelopeId = summary.Envelope?.MessageId?.Trim();
            if (envelopeId is not null && known.TryGetValue(envelopeId, out var before))
            {
                // Processed earlier (a replay, another node, a crash before the read flag): never twice.
                alreadyProcessed++;
                if (IsDone(before))
                {
                    done.Add(summary.UniqueId);
                }
                continue;
            }
            if (taken == Math.Max(1, Options.BatchSize))
            {
                more = true;
                break;
            }
            taken++;
            var record = await ProcessOne(folder, summary, mailbox, settings, ct);
            if (record is null)
            {
                alreadyProcessed++;
                continue;
            }
            counts[record.Status] = counts.GetValueOrDefault(record.Status) + 1;
            if (IsDone(record.Status))
            {
                done.Add(summary.UniqueId);
            }
        }
        if (done.Count > 0)
        {
            await folder.AddFlagsAsync(done, MessageFlags.Seen, silent: true, ct);
        }
        return new PollResult(counts.GetValueOrDefault(InboundStatus.Appended), counts.GetValueOrDefault(InboundStatus.CreatedTicket),
            counts.GetValueOrDefault(InboundStatus.Unmatched), counts.GetValueOrDefault(InboundStatus.Ignored), counts.GetValueOrDefault(InboundStatus.Quarantined),
            alreadyProcessed, more);
    }

    /// <summary>Dealt with: marked read. Left unread: those that matched nothing and the quarantined, for a person to look at.</summary>
    private static bool IsDone(InboundStatus status) => status is InboundStatus.Appended or InboundStatus.CreatedTicket or InboundStatus.Ignored;

    /// <summary>Downloads and processes one message; null when it turned out to be processed already (by its bytes' key, or by another node).</summary>
    private async Task<InboundEmail?> ProcessOne(IMailFolder folder, IMessageSummary summary, string mailbox, ImapSettings settings, CancellationToken ct)
    {
        var fallbackKey = summary.Envelope?.MessageId?.Trim() is { Length: > 0 } id ? id : $"uid:{folder.UidValidity}:{summary.UniqueId.Id}";
        if (summary.Size is { } size && size > Options.MaxMessageBytes)
        {
            return await Quarantine(summary, mailbox, fallbackKey,
                $"Mensagem de {Megabytes(size)} passa do limite de {Megabytes(Options.MaxMessageBytes)}; não foi baixada.", ct);
        }
        MimeMessage message;
        try
        {
            message = await folder.GetMessageAsync(summary.UniqueId, ct);
        }
        catch (Exception e) when (e is ParseException or FormatException)
        {
            return await Quarantine(summary, mailbox, fallbackKey, "A mensagem não pôde ser lida: " + e.Message, ct);
        }
        var key = InboundMail.KeyOf(message);
        if ((await Known(mailbox, [key], ct)).Count > 0)
        {
            return null;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<InboundMail>().Process(message, mailbox, settings, ct);
        }
        catch (DbUpdateException)
        {
            if ((await Known(mailbox, [key], ct)).Count > 0)
            {
                // Another node processed it between our check and our commit; its transaction won, ours rolled back (and the
                // bytes of the attachments we had stored were deleted).
                return null;
            }
            throw;
        }
        catch (Exception e) when (e is not (OperationCanceledException or DbException or DbUpdateException) && !ImapReader.IsImapFailure(e))
        {
            log.LogWarning(e, "Message {MessageId} of {Mailbox} could not be processed; quarantined.", key, mailbox);
            return await Quarantine(summary, mailbox, key, "Erro ao processar a mensagem: " + e.Message, ct);
        }
    }

    private async Task<InboundEmail?> Quarantine(IMessageSummary summary, string mailbox, string key, string why, CancellationToken ct)
    {
        var from = summary.Envelope?.From.Mailboxes.FirstOrDefault();
        var now = Clock.Now();
        var record = new InboundEmail
        {
            Mailbox = mailbox,
            MessageId = key.Length <= 400 ? key : key[..400],
            FromAddress = Clip(from?.Address ?? "", 254),
            FromName = string.IsNullOrWhiteSpace(from?.Name) ? null : Clip(from.Name, 200),
            Subject = Clip(summary.Envelope?.Subject ?? "", EmailOutbox.MaxSubjectLength),
            SentAt = summary.Envelope?.Date ?? now,
            ProcessedAt = now,
            Status = InboundStatus.Quarantined,
            Note = Clip(why, 2000),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        db.InboundEmails.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if ((await Known(mailbox, [record.MessageId], ct)).Count > 0)
            {
                // Another node recorded the same message first (the unique key per mailbox): it is that node's.
                return null;
            }
            throw;
        }
        return record;
    }

    private async Task<Dictionary<string, InboundStatus>> Known(string mailbox, List<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var rows = new Dictionary<string, InboundStatus>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct().Chunk(500))
        {
            foreach (var row in await db.InboundEmails.AsNoTracking().Where(e => e.Mailbox == mailbox && chunk.Contains(e.MessageId))
                         .Select(e => new { e.MessageId, e.Status }).ToListAsync(ct))
            {
                rows[row.MessageId] = row.Status;
            }
        }
        return rows;
    }

    private static async Task Report(AtendeDb db, string result, bool failed, CancellationToken ct)
    {
        var now = Clock.Now();
        var text = Clip(result, 2000);
        await db.ImapSettings.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(x => x.LastPollAt, now).SetProperty(x => x.LastPollResult, text).SetProperty(x => x.LastPollFailed, failed);
            if (!failed)
            {
                s.SetProperty(x => x.LastSuccessAt, now);
            }
        }, ct);
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("pt-BR")) + " MB";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
