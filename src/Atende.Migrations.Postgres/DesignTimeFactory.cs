using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Atende.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AtendeDb>
{
    public AtendeDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AtendeDb>()
        .UseNpgsql("Host=localhost;Database=atende_design", x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);
}
