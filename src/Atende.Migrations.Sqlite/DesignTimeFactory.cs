using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Atende.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without starting the app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AtendeDb>
{
    public AtendeDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AtendeDb>()
        .UseSqlite("Data Source=design.db", x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);
}
