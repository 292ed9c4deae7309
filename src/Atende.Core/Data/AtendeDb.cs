using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Atende.Core.Data;

public class AtendeDb(DbContextOptions<AtendeDb> options) : IdentityUserContext<User, long>(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<UserWorkspace> UserWorkspaces => Set<UserWorkspace>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
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
            e.HasMany(u => u.Workspaces).WithOne().HasForeignKey(w => w.UserId);
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
        builder.Entity<ApiToken>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
        });
        builder.Entity<Workspace>(e =>
        {
            e.Property(w => w.Name).HasMaxLength(100);
            e.HasIndex(w => w.Name).IsUnique();
        });
        builder.Entity<CompanyProfile>(e =>
        {
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Email).HasMaxLength(254);
            e.Property(c => c.TimeZone).HasMaxLength(64);
            e.Property(c => c.Currency).HasMaxLength(3);
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
        });

        builder.Entity<Partner>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Code).HasMaxLength(40);
            e.Property(p => p.CodeKey).HasMaxLength(40);
            e.Property(p => p.Notes).HasMaxLength(4000);
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
        if (IsPostgres)
        {
            builder.HasPostgresExtension("pg_trgm");
        }
    }

    private static void ConfigureList<T>(ModelBuilder builder) where T : ListItem
    {
        builder.Entity<T>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
        });
    }

    public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public sealed class CentsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 100m, MidpointRounding.AwayFromZero), v => v / 100m);
}
