using Atende.Core.Common;

namespace Atende.Web.Api;

/// <summary>A Brazilian postal address as the API answers it (partners, the company).</summary>
/// <param name="PostalCode">CEP, formatted "01310-100"; "" when none.</param>
/// <param name="State">UF, one of the 27 ("SP"); "" when none.</param>
public sealed record AddressDto(string PostalCode, string Street, string Number, string Complement, string District, string City, string State)
{
    /// <summary>The address, or null when it is empty.</summary>
    public static AddressDto? Of(PostalAddress a) =>
        a.IsEmpty ? null : new(a.PostalCode, a.Street, a.Number, a.Complement, a.District, a.City, a.State);
}

/// <summary>A Brazilian postal address as the API takes it: every field optional.</summary>
/// <param name="PostalCode">CEP: 8 digits, with or without the hyphen ("01310100" or "01310-100").</param>
/// <param name="State">UF, one of the 27, in any case ("sp").</param>
public sealed record AddressWrite(string? PostalCode = null, string? Street = null, string? Number = null, string? Complement = null, string? District = null,
    string? City = null, string? State = null)
{
    public static AddressWrite? Of(PostalAddress a) =>
        a.IsEmpty ? null : new(a.PostalCode, a.Street, a.Number, a.Complement, a.District, a.City, a.State);

    public AddressInput ToInput() => new()
    {
        PostalCode = PostalCode, Street = Street, Number = Number, Complement = Complement, District = District, City = City, State = State,
    };
}
