using Atende.Core.Conversations;
using Atende.Core.Email;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Core.Workspaces;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Atende.Core.Data;

public class AtendeDb(DbContextOptions<AtendeDb> options) : IdentityUserContext<User, long>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring when several nodes share it (<c>Atende:DataProtection:Store=Database</c>; Web/Infrastructure/KeyRing.cs).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<UserWorkspace> UserWorkspaces => Set<UserWorkspace>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AccountLink> AccountLinks => Set<AccountLink>();
    public DbSet<AccessVersion> AccessVersions => Set<AccessVersion>();
    public DbSet<CompanyProfile> CompanyProfiles => Set<CompanyProfile>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<OpportunityType> OpportunityTypes => Set<OpportunityType>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Subcategory> Subcategories => Set<Subcategory>();
    public DbSet<CatalogItem> CatalogItems => Set<CatalogItem>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();
    public DbSet<ContactEmail> ContactEmails => Set<ContactEmail>();
    public DbSet<SocialProfile> SocialProfiles => Set<SocialProfile>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<PipelineUser> PipelineUsers => Set<PipelineUser>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ReferenceCounter> ReferenceCounters => Set<ReferenceCounter>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketTag> TicketTags => Set<TicketTag>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<Chat.ChatMessage> ChatMessages => Set<Chat.ChatMessage>();
    public DbSet<Chat.ChatReceipt> ChatReceipts => Set<Chat.ChatReceipt>();
    public DbSet<TicketChange> TicketChanges => Set<TicketChange>();
    public DbSet<TicketAttachment> TicketAttachments => Set<TicketAttachment>();
    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();
    public DbSet<FileBlob> FileBlobs => Set<FileBlob>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationAttachment> ConversationAttachments => Set<ConversationAttachment>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<SmtpSettings> SmtpSettings => Set<SmtpSettings>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<ImapSettings> ImapSettings => Set<ImapSettings>();
    public DbSet<InboundEmail> InboundEmails => Set<InboundEmail>();
    public DbSet<OutboxAttachment> OutboxAttachments => Set<OutboxAttachment>();
    public DbSet<EmailTemplate> EmailTemplates => Set<EmailTemplate>();
    public DbSet<Events.RaisedEvent> Events => Set<Events.RaisedEvent>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<QuoteTotal> QuoteTotals => Set<QuoteTotal>();
    public DbSet<TicketCount> TicketCounts => Set<TicketCount>();
    public DbSet<QuoteVersion> QuoteVersions => Set<QuoteVersion>();
    public DbSet<QuoteItem> QuoteItems => Set<QuoteItem>();
    public DbSet<QuoteLink> QuoteLinks => Set<QuoteLink>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<PurchaseItem> PurchaseItems => Set<PurchaseItem>();

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (IsPostgres)
        {
            configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
        }
        else
        {
            // SQLite cannot compare or sort DateTimeOffset and decimal: store UTC ticks and cents.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<decimal>().HaveConversion<CentsConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<User>(e =>
        {
            e.ToTable("Users");
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.HiddenTicketColumns).HasMaxLength(200);
            e.Property(u => u.Version).IsConcurrencyToken();
            e.HasMany(u => u.Workspaces).WithOne().HasForeignKey(w => w.UserId);
            e.HasMany(u => u.Pipelines).WithOne().HasForeignKey(p => p.UserId);
        });
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<long>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<long>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<long>>().ToTable("UserTokens");

        builder.Entity<UserWorkspace>(e =>
        {
            e.HasKey(x => new { x.UserId, x.WorkspaceId });
            e.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId);
            e.HasIndex(x => x.WorkspaceId);
        });
        builder.Entity<AccessVersion>(e =>
        {
            e.ToTable("AccessVersion");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new AccessVersion { Id = AccessVersion.RowId, Value = 1 });
        });
        builder.Entity<ApiToken>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
        });
        builder.Entity<AccountLink>(e =>
        {
            e.Property(t => t.Hash).HasMaxLength(64);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => new { t.UserId, t.Purpose });
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<Workspace>(e =>
        {
            e.Property(w => w.Name).HasMaxLength(100);
            e.HasIndex(w => w.Name).IsUnique();
            e.Property(w => w.Version).IsConcurrencyToken();
        });
        builder.Entity<CompanyProfile>(e =>
        {
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.PublicUrl).HasMaxLength(300);
            e.Property(c => c.Email).HasMaxLength(254);
            e.Property(c => c.TimeZone).HasMaxLength(64);
            e.Property(c => c.Currency).HasMaxLength(3);
            e.Property(c => c.TaxId).HasMaxLength(40);
            e.Property(c => c.Phone).HasMaxLength(CompanyProfile.MaxPhoneLength);
            e.ComplexProperty(c => c.Address, ConfigureAddress);
        });
        ConfigureList<Channel>(builder);
        ConfigureList<OpportunityType>(builder);
        ConfigureList<Category>(builder);
        ConfigureList<CatalogItem>(builder);
        builder.Entity<Category>().HasMany(c => c.Subcategories).WithOne().HasForeignKey(s => s.CategoryId);
        builder.Entity<Subcategory>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => new { x.CategoryId, x.Name }).IsUnique();
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        builder.Entity<Partner>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Code).HasMaxLength(40);
            e.Property(p => p.CodeKey).HasMaxLength(40);
            e.Property(p => p.Notes).HasMaxLength(4000);
            e.Property(p => p.StateRegistration).HasMaxLength(StateRegistrationRules.MaxLength);
            e.ComplexProperty(p => p.Address, ConfigureAddress);
            e.Property(p => p.SortName).HasMaxLength(200);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.Property(p => p.Roles).HasConversion<int>();
            e.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(p => p.AccountManagerId).OnDelete(DeleteBehavior.SetNull);
            e.HasIndex(p => new { p.SortName, p.Id });
            e.HasIndex(p => new { p.WorkspaceId, p.SortName, p.Id });
            e.HasIndex(p => p.CodeKey);
            if (IsPostgres)
            {
                e.HasIndex(p => p.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            }
            e.HasMany(p => p.Contacts).WithOne().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Contact>(e =>
        {
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(c => c.Emails).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(c => c.SocialProfiles).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ContactPhone>(e =>
        {
            e.Property(p => p.E164).HasMaxLength(20);
            e.HasIndex(p => p.E164);
        });
        builder.Entity<ContactEmail>(e =>
        {
            e.Property(p => p.Address).HasMaxLength(254);
            e.Property(p => p.AddressKey).HasMaxLength(254);
            e.HasIndex(p => p.AddressKey);
        });
        builder.Entity<SocialProfile>(e =>
        {
            e.Property(p => p.Handle).HasMaxLength(100);
            e.HasIndex(p => new { p.ContactId, p.Network }).IsUnique();
        });
        ConfigurePipelines(builder);
        ConfigureTickets(builder);
        ConfigureFiles(builder);
        ConfigureConversations(builder);
        ConfigureEmail(builder);
        ConfigureInbound(builder);
        ConfigureEvents(builder);
        ConfigureSales(builder);
        builder.Entity<Notifications.Notification>(e =>
        {
            e.Property(n => n.Text).HasMaxLength(500);
            e.HasIndex(n => new { n.UserId, n.Id });
            e.HasIndex(n => new { n.UserId, n.ReadAt });
            e.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(n => n.FromUserId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        if (IsPostgres)
        {
            builder.HasPostgresExtension("pg_trgm");
        }
    }

    private static void ConfigurePipelines(ModelBuilder builder)
    {
        builder.Entity<Pipeline>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Alias).HasMaxLength(PipelineService.MaxAliasLength);
            e.Property(p => p.Description).HasMaxLength(500);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.HasIndex(p => p.Alias).IsUnique();
            e.HasIndex(p => p.Name).IsUnique();
            e.HasMany(p => p.Users).WithOne().HasForeignKey(u => u.PipelineId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Tags).WithOne().HasForeignKey(t => t.PipelineId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PipelineUser>(e =>
        {
            e.HasKey(x => new { x.PipelineId, x.UserId });
            e.HasIndex(x => x.UserId);
        });
        builder.Entity<Tag>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(50);
            e.Property(t => t.Color).HasMaxLength(7);
            e.HasIndex(t => new { t.PipelineId, t.Name }).IsUnique();
            e.Property(t => t.Version).IsConcurrencyToken();
        });
        builder.Entity<ReferenceCounter>(e =>
        {
            e.HasKey(c => c.Alias);
            e.Property(c => c.Alias).HasMaxLength(PipelineService.MaxAliasLength);
        });
    }

    private void ConfigureTickets(ModelBuilder builder)
    {
        builder.Entity<Ticket>(e =>
        {
            e.Property(t => t.Reference).HasMaxLength(PipelineService.MaxAliasLength + 21);
            e.Property(t => t.Title).HasMaxLength(200);
            e.Property(t => t.Description).HasMaxLength(20000);
            e.Property(t => t.RequesterName).HasMaxLength(200);
            e.Property(t => t.TitleSort).HasMaxLength(200);
            e.Property(t => t.RequesterSort).HasMaxLength(200);
            e.Property(t => t.AssigneeSort).HasMaxLength(200);
            e.Property(t => t.Status).HasConversion<int>();
            e.Property(t => t.Bin).HasConversion<int>();
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasIndex(t => t.Reference).IsUnique();
            e.HasOne<Pipeline>().WithMany().HasForeignKey(t => t.PipelineId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Partner>().WithMany().HasForeignKey(t => t.PartnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Contact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<CatalogItem>().WithMany().HasForeignKey(t => t.CatalogItemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.AccountManagerId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.EditedById).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Category>().WithMany().HasForeignKey(t => t.CategoryId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Subcategory>().WithMany().HasForeignKey(t => t.SubcategoryId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Channel>().WithMany().HasForeignKey(t => t.ChannelId).OnDelete(DeleteBehavior.Restrict);
            // One index per sortable list column, led by what every list filters on (pipeline and bin), so any page
            // in any order is an index range read (see Tickets/TicketService.List). On SQLite they end with what an
            // agent's visibility reads (the workspace; across pipelines also the pipeline): SQLite tests a condition on an
            // index's columns before it reads the row, so an agent's list and search walk the list in its order and read
            // only the rows they may see (an agent who sees a tenth of a list reads a tenth of the rows). PostgreSQL tests
            // such a condition ("WorkspaceId + 0", see Visibility.TicketRule) only on the row it read: there they stay as they were.
            string[] grantColumns = IsPostgres ? [] : [nameof(Ticket.WorkspaceId)];
            string[] crossPipelineGrantColumns = IsPostgres ? [] : [nameof(Ticket.PipelineId), nameof(Ticket.WorkspaceId)];
            foreach (var order in new[] { nameof(Ticket.UpdatedAt), nameof(Ticket.CreatedAt), nameof(Ticket.Status), nameof(Ticket.TitleSort),
                nameof(Ticket.RequesterSort), nameof(Ticket.AssigneeSort), nameof(Ticket.Value), nameof(Ticket.DueAt) })
            {
                e.HasIndex([nameof(Ticket.PipelineId), nameof(Ticket.Bin), order, nameof(Ticket.Id), .. grantColumns]);
            }
            e.HasIndex([nameof(Ticket.PipelineId), nameof(Ticket.Bin), nameof(Ticket.Id), .. grantColumns]);
            // The list across pipelines (API without pipelineId), in its default order.
            e.HasIndex([nameof(Ticket.Bin), nameof(Ticket.UpdatedAt), nameof(Ticket.Id), .. crossPipelineGrantColumns]);
            // A restricted caller's tickets of a list (their workspaces × pipelines, one bin), ids included: an agent's
            // search meets the text index's matches here, without reading the rows they may not see.
            e.HasIndex(t => new { t.WorkspaceId, t.PipelineId, t.Bin, t.Id });
            e.HasIndex(t => new { t.PartnerId, t.Id });
            // The portal's lists, newest activity first: a company's requests, and a portal user's own.
            e.HasIndex(t => new { t.PartnerId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.CreatedById, t.UpdatedAt, t.Id });
            // The dashboard's overdue and due-today figures: the open tickets by bin and due date, with what the grouping and
            // the visibility rule read. The filter is TicketConditions.Open as EF Core writes it, so the dashboard's query
            // implies it (SQLite uses a partial index only then). Bin leads (not in the filter) so that SQLite, choosing
            // between this and (PipelineId, Bin, DueAt, …), sees an equality and a range here against a skip-scan there.
            e.HasIndex(t => new { t.Bin, t.DueAt, t.PipelineId, t.WorkspaceId }).HasDatabaseName(OpenDueIndex)
                .HasFilter("\"Status\" NOT IN (6, 4, 5) AND \"DueAt\" IS NOT NULL");
            // TicketCounts is kept by triggers on this table; declared so EF Core does not read results back with RETURNING (SQLite).
            e.ToTable(t => t.HasTrigger(TicketCountsTrigger));
            if (IsPostgres)
            {
                e.HasIndex(t => t.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            }
            e.HasMany(t => t.Tags).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TicketCount>(e =>
        {
            e.HasKey(c => new { c.PipelineId, c.WorkspaceId, c.Status, c.AssigneeKey });
            e.Property(c => c.Status).HasConversion<int>();
        });
        builder.Entity<TicketTag>(e =>
        {
            e.HasKey(x => new { x.TicketId, x.TagId });
            e.HasIndex(x => new { x.TagId, x.TicketId });
            e.HasOne<Tag>().WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Interaction>(e =>
        {
            e.Property(i => i.Body).HasMaxLength(100_000);
            e.HasIndex(i => new { i.TicketId, i.Id });
            e.HasOne<Ticket>().WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(i => i.AuthorId).OnDelete(DeleteBehavior.Restrict);
            e.Property(i => i.FromAddress).HasMaxLength(254);
            e.Property(i => i.FromName).HasMaxLength(200);
        });
        builder.Entity<TicketChange>(e =>
        {
            e.Property(c => c.Field).HasMaxLength(40);
            e.Property(c => c.OldValue).HasMaxLength(2000);
            e.Property(c => c.NewValue).HasMaxLength(2000);
            e.Property(c => c.OldCode).HasMaxLength(2000);
            e.Property(c => c.NewCode).HasMaxLength(2000);
            e.HasIndex(c => new { c.TicketId, c.Id });
            e.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<TicketAttachment>(e =>
        {
            e.HasIndex(a => new { a.TicketId, a.Id });
            e.HasIndex(a => a.InteractionId);
            e.HasIndex(a => a.FileId).IsUnique();
            e.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Interaction>().WithMany().HasForeignKey(a => a.InteractionId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<StoredFile>().WithMany().HasForeignKey(a => a.FileId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private void ConfigureConversations(ModelBuilder builder)
    {
        builder.Entity<Conversation>(e =>
        {
            e.Property(c => c.Subject).HasMaxLength(ConversationService.MaxSubjectLength);
            e.Property(c => c.PartnerName).HasMaxLength(200);
            e.Property(c => c.Description).HasMaxLength(ConversationService.MaxDescriptionLength);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Channel>().WithMany().HasForeignKey(c => c.ChannelId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<OpportunityType>().WithMany().HasForeignKey(c => c.OpportunityTypeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(c => c.SellerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(c => c.UpdatedById).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.SetNull);
            // The agenda reads a date range, led by what it is narrowed to: a seller (the usual view), a workspace
            // (an agent's scope) or nothing (an admin); a partner's conversations are listed newest first.
            var bySeller = e.HasIndex(c => new { c.SellerId, c.At });
            if (IsPostgres)
            {
                // Covering: a seller's month (the agenda's default) is an index-only range scan, no table visits.
                bySeller.IncludeProperties(c => new { c.Id, c.WorkspaceId, c.PartnerId, c.PartnerName, c.Subject, c.ChannelId, c.OpportunityTypeId, c.Concluded, c.Version });
            }
            // The seller at the end: the dashboard's conversations per seller this month read the month from the index alone.
            e.HasIndex(c => new { c.WorkspaceId, c.At, c.SellerId });
            e.HasIndex(c => new { c.At, c.SellerId });
            e.HasIndex(c => new { c.PartnerId, c.At });
            e.HasIndex(c => c.TicketId);
        });
        builder.Entity<ConversationAttachment>(e =>
        {
            e.HasIndex(a => new { a.ConversationId, a.Id });
            e.HasIndex(a => a.FileId).IsUnique();
            e.HasOne<Conversation>().WithMany().HasForeignKey(a => a.ConversationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<StoredFile>().WithMany().HasForeignKey(a => a.FileId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static void ConfigureEmail(ModelBuilder builder)
    {
        builder.Entity<SmtpSettings>(e =>
        {
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Host).HasMaxLength(253);
            e.Property(s => s.UserName).HasMaxLength(254);
            e.Property(s => s.ProtectedPassword).HasMaxLength(4000);
            e.Property(s => s.FromName).HasMaxLength(200);
            e.Property(s => s.FromAddress).HasMaxLength(254);
        });
        builder.Entity<OutboxEmail>(e =>
        {
            e.Property(x => x.To).HasMaxLength(4000);
            e.Property(x => x.Subject).HasMaxLength(EmailOutbox.MaxSubjectLength);
            e.Property(x => x.HtmlBody).HasMaxLength(EmailOutbox.MaxBodyLength);
            e.Property(x => x.TextBody).HasMaxLength(EmailOutbox.MaxBodyLength);
            e.Property(x => x.Token).HasMaxLength(32);
            e.Property(x => x.MessageId).HasMaxLength(400);
            e.Property(x => x.LastError).HasMaxLength(2000);
            // The dispatcher's claim: due Pending rows (and lapsed Sending ones) in time order.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            // The admin page: newest first, by status or by ticket.
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasIndex(x => new { x.TicketId, x.Id });
            // A reply names our message in In-Reply-To / References.
            e.HasIndex(x => x.MessageId);
            e.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.OutboxEmailId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<OutboxAttachment>(e =>
        {
            e.HasIndex(a => a.OutboxEmailId);
            e.HasIndex(a => a.FileId);
            // A file deleted before the e-mail goes out is left out of it rather than blocking the deletion.
            e.HasOne<StoredFile>().WithMany().HasForeignKey(a => a.FileId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<EmailTemplate>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(EmailTemplateService.MaxNameLength);
            e.Property(t => t.SortName).HasMaxLength(EmailTemplateService.MaxNameLength);
            e.Property(t => t.Subject).HasMaxLength(EmailTemplateService.MaxSubjectLength);
            e.Property(t => t.Body).HasMaxLength(EmailTemplateService.MaxBodyLength);
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasIndex(t => t.SortName).IsUnique();
            e.HasIndex(t => new { t.Purpose, t.SortName });
            // One automatic template per purpose: the e-mails read it by purpose.
            e.HasIndex(t => t.Purpose).IsUnique().HasFilter("\"Purpose\" <> 'Custom'").HasDatabaseName("IX_EmailTemplates_AutomaticPurpose");
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UpdatedById).OnDelete(DeleteBehavior.SetNull);
        });
    }

    private static void ConfigureEvents(ModelBuilder builder)
    {
        builder.Entity<Chat.ChatMessage>(e =>
        {
            e.Property(m => m.Body).HasMaxLength(Chat.ChatService.MaxLength);
            // The number is the ticket's own sequence: unique, and what a reader pages by.
            e.HasIndex(m => new { m.TicketId, m.Seq }).IsUnique();
            e.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(m => m.AuthorId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Chat.ChatReceipt>(e =>
        {
            e.HasKey(r => new { r.TicketId, r.UserId });
            e.HasOne<Ticket>().WithMany().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Events.RaisedEvent>(e =>
        {
            e.ToTable("Events");
            e.Property(x => x.Type).HasMaxLength(64);
            e.Property(x => x.MessageId).HasMaxLength(64);
            // No secondary index: every write raises an event, and under concurrent writes on SQLite each index is time
            // the write lock is held (bench/README.md, W5). The message id is 104 random bits (a collision is not a
            // concern), and the feeds read by Id; a reader that needs another order adds its index with its query.
        });
        builder.Entity<Webhooks.WebhookEndpoint>(e =>
        {
            e.Property(x => x.Url).HasMaxLength(Webhooks.WebhookService.MaxUrlLength);
            e.Property(x => x.Description).HasMaxLength(Webhooks.WebhookService.MaxDescriptionLength);
            e.Property(x => x.Events).HasMaxLength(2000);
            e.Property(x => x.ProtectedSecret).HasMaxLength(1000);
            e.Property(x => x.ProtectedPreviousSecret).HasMaxLength(1000);
            e.Property(x => x.DisabledReason).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        builder.Entity<Webhooks.WebhookDelivery>(e =>
        {
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.Property(x => x.LastResponse).HasMaxLength(2000);
            // The dispatcher's claim: due Pending rows (and lapsed Sending ones) in time order.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            // An endpoint's delivery log, newest first.
            e.HasIndex(x => new { x.EndpointId, x.Id });
            e.HasIndex(x => x.EventId);
            // The metrics' backlog: how many wait (a count over this index's Pending and Sending ranges) and the oldest of them
            // (the first Id of each range), as the outbox's (Status, Id) index does for e-mails.
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasOne<Webhooks.WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void ConfigureInbound(ModelBuilder builder)
    {
        builder.Entity<ImapSettings>(e =>
        {
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Host).HasMaxLength(253);
            e.Property(s => s.UserName).HasMaxLength(254);
            e.Property(s => s.ProtectedPassword).HasMaxLength(4000);
            e.Property(s => s.Folder).HasMaxLength(200);
            e.Property(s => s.LastPollResult).HasMaxLength(2000);
            e.HasOne<Pipeline>().WithMany().HasForeignKey(s => s.UnmatchedPipelineId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<User>().WithMany().HasForeignKey(s => s.UnmatchedCreatorId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<InboundEmail>(e =>
        {
            e.Property(x => x.Mailbox).HasMaxLength(500);
            e.Property(x => x.MessageId).HasMaxLength(400);
            e.Property(x => x.FromAddress).HasMaxLength(254);
            e.Property(x => x.FromName).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(EmailOutbox.MaxSubjectLength);
            e.Property(x => x.Note).HasMaxLength(2000);
            // Each message once per mailbox, whoever reads it and however often.
            e.HasIndex(x => new { x.Mailbox, x.MessageId }).IsUnique();
            // The admin page: newest first, by status.
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Interaction>().WithMany().HasForeignKey(x => x.InteractionId).OnDelete(DeleteBehavior.SetNull);
        });
    }

    private static void ConfigureFiles(ModelBuilder builder)
    {
        builder.Entity<StoredFile>(e =>
        {
            e.Property(f => f.FileName).HasMaxLength(255);
            e.Property(f => f.ContentType).HasMaxLength(100);
            e.Property(f => f.StorageKey).HasMaxLength(100);
            e.Property(f => f.Sha256).HasMaxLength(64);
            e.HasIndex(f => f.StorageKey).IsUnique();
            e.HasOne<User>().WithMany().HasForeignKey(f => f.CreatedById).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<FileBlob>(e =>
        {
            e.HasKey(b => b.Key);
            e.Property(b => b.Key).HasMaxLength(100);
        });
    }

    /// <summary>A <see cref="Common.PostalAddress"/> as columns of its owner ("Address_PostalCode", …), "" when empty.</summary>
    private static void ConfigureAddress(Microsoft.EntityFrameworkCore.Metadata.Builders.ComplexPropertyBuilder<Common.PostalAddress> a)
    {
        a.Property(x => x.PostalCode).HasMaxLength(9);
        a.Property(x => x.Street).HasMaxLength(Common.PostalAddress.MaxLength);
        a.Property(x => x.Number).HasMaxLength(Common.PostalAddress.MaxLength);
        a.Property(x => x.Complement).HasMaxLength(Common.PostalAddress.MaxLength);
        a.Property(x => x.District).HasMaxLength(Common.PostalAddress.MaxLength);
        a.Property(x => x.City).HasMaxLength(Common.PostalAddress.MaxLength);
        a.Property(x => x.State).HasMaxLength(2);
    }

    private static void ConfigureList<T>(ModelBuilder builder) where T : ListItem
    {
        builder.Entity<T>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Version).IsConcurrencyToken();
        });
    }

    /// <summary>The triggers on Tickets that keep TicketCounts (created by the TicketCounts migration of each provider).</summary>
    public const string TicketCountsTrigger = "Tickets_Counts";

    /// <summary>The partial index of the open tickets of the lists by due date (the dashboard's overdue and due-today figures).</summary>
    public const string OpenDueIndex = "IX_Tickets_OpenDue";

    /// <summary>The triggers on Quotes that keep QuoteTotals (created by the QuoteTotals migration of each provider).</summary>
    public const string QuoteTotalsTrigger = "Quotes_Totals";

    private void ConfigureSales(ModelBuilder builder)
    {
        builder.Entity<Quote>(e =>
        {
            // QuoteTotals is kept by triggers on this table; declared so EF Core does not read results back with RETURNING (SQLite).
            e.ToTable(t => t.HasTrigger(QuoteTotalsTrigger));
            e.Property(q => q.Number).HasMaxLength(20);
            e.HasIndex(q => q.Number).IsUnique();
            e.Property(q => q.Revision).IsConcurrencyToken();
            e.HasOne<Ticket>().WithMany().HasForeignKey(q => q.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Partner>().WithMany().HasForeignKey(q => q.PartnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(q => q.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(q => q.DecidedById).OnDelete(DeleteBehavior.SetNull);
            // The ticket's Vendas tab; the lists (Vendas, Orçamentos) newest first by state, and a partner's.
            e.HasIndex(q => new { q.TicketId, q.Id });
            e.HasIndex(q => new { q.State, q.Id });
            e.HasIndex(q => new { q.PartnerId, q.Id });
            // A pipeline's list; a period's totals read (State, CreatedAt) and find Total and the scope in the same entry.
            e.HasIndex(q => new { q.PipelineId, q.Id });
            e.HasIndex(q => new { q.State, q.CreatedAt, q.PipelineId, q.WorkspaceId, q.Total });
            e.Property(q => q.DecidedByName).HasMaxLength(200);
            e.Property(q => q.DecidedByCpf).HasMaxLength(14);
            e.Property(q => q.DecidedFromIp).HasMaxLength(45);
        });
        builder.Entity<QuoteTotal>(e =>
        {
            e.HasKey(t => new { t.PipelineId, t.WorkspaceId, t.State, t.Month });
            // A state's totals across pipelines (all time, or a period's months), with everything the sum and the visibility rule read.
            e.HasIndex(t => new { t.State, t.Month, t.PipelineId, t.WorkspaceId, t.Count, t.Total });
        });
        builder.Entity<QuoteLink>(e =>
        {
            e.Property(l => l.TokenHash).HasMaxLength(64);
            e.HasIndex(l => l.TokenHash).IsUnique();
            e.Property(l => l.SentTo).HasMaxLength(320);
            e.HasOne<Quote>().WithMany().HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(l => l.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => l.QuoteId);
        });
        builder.Entity<QuoteVersion>(e =>
        {
            e.Property(v => v.Notes).HasMaxLength(QuoteService.MaxNotesLength);
            e.HasIndex(v => new { v.QuoteId, v.Number }).IsUnique();
            e.HasOne<Quote>().WithMany().HasForeignKey(v => v.QuoteId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(v => v.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(v => v.Items).WithOne().HasForeignKey(i => i.QuoteVersionId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<QuoteItem>(e =>
        {
            e.Property(i => i.Description).HasMaxLength(QuoteService.MaxDescriptionLength);
            e.HasIndex(i => new { i.QuoteVersionId, i.Position }).IsUnique();
            e.HasOne<CatalogItem>().WithMany().HasForeignKey(i => i.CatalogItemId).OnDelete(DeleteBehavior.Restrict);
            // Quantities have up to 3 decimal places (1,5 kg; 0,125 h).
            if (IsPostgres)
            {
                e.Property(i => i.Quantity).HasPrecision(18, 3);
            }
            else
            {
                e.Property(i => i.Quantity).HasConversion<ThousandthsConverter>();
            }
        });
        builder.Entity<Purchase>(e =>
        {
            e.Property(p => p.Number).HasMaxLength(20);
            e.HasIndex(p => p.Number).IsUnique();
            e.Property(p => p.Notes).HasMaxLength(PurchaseService.MaxNotesLength);
            e.HasOne<Ticket>().WithMany().HasForeignKey(p => p.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Partner>().WithMany().HasForeignKey(p => p.SupplierId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(p => p.CreatedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(p => p.CanceledById).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(p => p.Items).WithOne().HasForeignKey(i => i.PurchaseId).OnDelete(DeleteBehavior.Cascade);
            // The ticket's Compras tab; the Compras list newest first, by supplier, by pipeline, by period.
            e.HasIndex(p => new { p.TicketId, p.Id });
            e.HasIndex(p => new { p.SupplierId, p.Id });
            e.HasIndex(p => new { p.PipelineId, p.Id });
            e.HasIndex(p => p.CreatedAt);
        });
        builder.Entity<PurchaseItem>(e =>
        {
            e.Property(i => i.Description).HasMaxLength(QuoteService.MaxDescriptionLength);
            e.HasIndex(i => new { i.PurchaseId, i.Position }).IsUnique();
            e.HasOne<CatalogItem>().WithMany().HasForeignKey(i => i.CatalogItemId).OnDelete(DeleteBehavior.Restrict);
            // Quantities have up to 3 decimal places, like a quote's.
            if (IsPostgres)
            {
                e.Property(i => i.Quantity).HasPrecision(18, 3);
            }
            else
            {
                e.Property(i => i.Quantity).HasConversion<ThousandthsConverter>();
            }
        });
    }

    public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public sealed class CentsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 100m, MidpointRounding.AwayFromZero), v => v / 100m);

    public sealed class ThousandthsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 1000m, MidpointRounding.AwayFromZero), v => v / 1000m);
}
