using Atende.Core.Queue;
using System.Data.Common;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Files;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>
/// Sends the outbox. Each round claims due rows through the shared <see cref="LeasedQueue"/> (lease, <c>FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL), then sends them over one SMTP connection and records the outcome:
/// Sent after the server's 250, Dead at once on a 5xx answer to the message, otherwise Pending again with an exponential
/// backoff until <see cref="EmailOptions.MaxAttempts"/>. Every attempt carries the row's stored Message-ID.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, OutboxSignal signal, IOptions<EmailOptions> options, AtendeMeter meter,
    ILogger<OutboxDispatcher> log) : BackgroundService
{
    /// <summary>The outbox as a leased queue: Sent rows get their SentAt.</summary>
    public static readonly LeasedQueue Queue = new("OutboxEmails", "SentAt");

    private EmailOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Dispatcher)
        {
            return;
        }
        var poll = TimeSpan.FromSeconds(Math.Max(0.05, Options.PollSeconds));
        await signal.RunRounds(async ct => await RunOnce(ct) > 0, poll, log, "outbox", stoppingToken);
    }

    /// <summary>One round: claims up to a batch of due rows and tries to send them. Returns how many rows it claimed.</summary>
    public async Task<int> RunOnce(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var account = await EmailSettingsService.LoadAccount(db, scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(), ct);
        if (account is null)
        {
            // Nothing can go out: the rows wait, saying why.
            await db.OutboxEmails
                .Where(e => e.Status == LeaseStatus.Pending && (e.LastError == null || e.LastError != EmailSettingsService.NotConfigured))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastError, EmailSettingsService.NotConfigured), ct);
            return 0;
        }
        var ids = await Queue.Claim(db, Options.BatchSize, TimeSpan.FromSeconds(Options.LeaseSeconds), ct);
        if (ids.Count == 0)
        {
            return 0;
        }
        var rows = await db.OutboxEmails.AsNoTracking().Include(e => e.Attachments).Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync(ct);
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        SmtpClient? client = null;
        SmtpFailure? unreachable = null;
        try
        {
            foreach (var row in rows)
            {
                if (unreachable is not null)
                {
                    // The server could not be reached for an earlier row of this round: the others wait too, without
                    // each paying a connection timeout.
                    await MarkFailed(db, row, unreachable, ct);
                    continue;
                }
                try
                {
                    await FixMessageId(db, row, account, ct);
                    MimeMessage message;
                    try
                    {
                        message = await Build(db, store, row, account, ct);
                    }
                    catch (Exception e) when (e is not (OperationCanceledException or DbException or DbUpdateException))
                    {
                        // A file the store cannot read, say: this e-mail waits and says why; the others still go.
                        log.LogError(e, "Outbox e-mail {Id} could not be built.", row.Id);
                        await MarkFailed(db, row, new SmtpFailure("Não foi possível montar o e-mail: " + e.Message, false), ct);
                        continue;
                    }
                    using var built = message;
                    if (!await Queue.Renew(db, row.Id, row.Attempts, TimeSpan.FromSeconds(Options.LeaseSeconds), ct))
                    {
                        // Earlier rows of this round took so long that the lease lapsed and another node has this one now.
                        continue;
                    }
                    await CrashPause(OutboxCrashPoint.BeforeSend, row, ct);
                    if (client is null)
                    {
                        try
                        {
                            client = await SmtpSender.Connect(account, ct);
                        }
                        catch (Exception e) when (SmtpSender.IsSmtpFailure(e) && !ct.IsCancellationRequested)
                        {
                            unreachable = SmtpSender.Describe(e, account);
                            await MarkFailed(db, row, unreachable, ct);
                            continue;
                        }
                    }
                    string answer;
                    EventHandler<MessageSentEventArgs>? accepted = null;
                    if (Pauses(OutboxCrashPoint.AfterServerAccepted, row))
                    {
                        // MailKit raises MessageSent synchronously once the server has answered 250 to the message.
                        accepted = (_, _) =>
                        {
                            LogPause(OutboxCrashPoint.AfterServerAccepted, row);
                            ct.WaitHandle.WaitOne();
                        };
                        client.MessageSent += accepted;
                    }
                    try
                    {
                        answer = await SmtpSender.Send(client, message, ct);
                    }
                    finally
                    {
                        if (accepted is not null)
                        {
                            client.MessageSent -= accepted;
                        }
                    }
                    await CrashPause(OutboxCrashPoint.BeforeMarkSent, row, ct);
                    await Queue.Succeeded(db, row.Id, row.Attempts, ct);
                    log.LogInformation("Outbox e-mail {Id} sent as <{MessageId}>: {Answer}", row.Id, row.MessageId, answer);
                }
                catch (Exception e) when (SmtpSender.IsSmtpFailure(e) && !ct.IsCancellationRequested)
                {
                    var failure = SmtpSender.Describe(e, account);
                    await MarkFailed(db, row, failure, ct);
                    if (client is { IsConnected: false })
                    {
                        client.Dispose();
                        client = null;
                    }
                }
            }
            if (client is { IsConnected: true })
            {
                await client.DisconnectAsync(true, ct);
            }
        }
        finally
        {
            client?.Dispose();
        }
        return rows.Count;
    }

    /// <summary>Whether the crash test's fault injection (<see cref="EmailOptions.CrashPause"/>, off by default) stops at this point of this row: only on a row's first attempt.</summary>
    private bool Pauses(OutboxCrashPoint point, OutboxEmail row) => Options.CrashPause == point && row.Attempts == 1;

    /// <summary>
    /// Fault injection for the crash test, a no-op unless <see cref="EmailOptions.CrashPause"/> names this point: says where it
    /// stopped and waits until the process is killed (or stopped), so <c>kill -9</c> lands exactly here.
    /// </summary>
    private async Task CrashPause(OutboxCrashPoint point, OutboxEmail row, CancellationToken ct)
    {
        if (Pauses(point, row))
        {
            LogPause(point, row);
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    private void LogPause(OutboxCrashPoint point, OutboxEmail row) =>
        log.LogWarning("CrashPause {Point}: outbox e-mail {Id} <{MessageId}>, attempt {Attempt}; stopped here until the process is killed.",
            point, row.Id, row.MessageId, row.Attempts);

    /// <summary>The Message-ID is fixed the first time the row is tried (the sender's domain is known then) and kept for every resend.</summary>
    private static async Task FixMessageId(AtendeDb db, OutboxEmail row, SmtpAccount account, CancellationToken ct)
    {
        if (row.MessageId is not null)
        {
            return;
        }
        var at = account.FromAddress.LastIndexOf('@');
        var domain = at >= 0 ? account.FromAddress[(at + 1)..] : "atende.local";
        var id = $"outbox-{row.Id}.{row.Token}@{domain}";
        await db.OutboxEmails.Where(e => e.Id == row.Id && e.MessageId == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.MessageId, id), ct);
        row.MessageId = await db.OutboxEmails.Where(e => e.Id == row.Id).Select(e => e.MessageId).FirstAsync(ct);
    }

    private static async Task<MimeMessage> Build(AtendeDb db, IFileStore store, OutboxEmail row, SmtpAccount account, CancellationToken ct)
    {
        var message = new MimeMessage { MessageId = row.MessageId!, Date = row.CreatedAt, Subject = row.Subject };
        message.From.Add(SmtpSender.Sender(account));
        foreach (var to in row.To.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }
        var body = new BodyBuilder { HtmlBody = row.HtmlBody, TextBody = row.TextBody };
        if (row.Attachments.Count > 0)
        {
            var fileIds = row.Attachments.Select(a => a.FileId).ToList();
            var files = await db.StoredFiles.AsNoTracking().Where(f => fileIds.Contains(f.Id)).OrderBy(f => f.Id).ToListAsync(ct);
            foreach (var file in files)
            {
                await using var content = await store.Open(file.StorageKey, ct)
                    ?? throw new IOException($"O arquivo \"{file.FileName}\" não está mais no armazenamento.");
                var bytes = new MemoryStream();
                await content.CopyToAsync(bytes, ct);
                bytes.Position = 0;
                await body.Attachments.AddAsync(file.FileName, bytes, ContentType.Parse(file.ContentType), ct);
            }
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task MarkFailed(AtendeDb db, OutboxEmail row, SmtpFailure failure, CancellationToken ct)
    {
        // Attempts already counts this one (the claim added it).
        var dead = failure.Permanent || row.Attempts >= Options.MaxAttempts;
        var error = dead && !failure.Permanent ? $"{failure.Message} (desistiu após {row.Attempts} tentativas)" : failure.Message;
        await Queue.Failed(db, row.Id, row.Attempts, error, dead ? null : Clock.Now() + Options.Backoff(row.Attempts), ct);
        meter.EmailFailures.Add(1, AtendeMeter.Outcome(dead));
        log.LogWarning("Outbox e-mail {Id} attempt {Attempt} failed ({Outcome}): {Error}", row.Id, row.Attempts, dead ? "dead" : "will retry", error);
    }
}
