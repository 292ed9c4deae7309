using Atende.Core.Common;
using Microsoft.AspNetCore.Identity;

namespace Atende.Core.Identity;

public static class PasswordRules
{
    /// <summary>
    /// Checks a new password against Identity's password rules and adds every broken rule to
    /// <paramref name="v"/>, so a form reports a short password together with its other errors
    /// instead of only after they are fixed.
    /// </summary>
    public static async Task Check(UserManager<User> users, User user, string? password, string field, Validation v)
    {
        if (string.IsNullOrEmpty(password))
        {
            return;
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            foreach (var error in result.Errors)
            {
                v.Add(field, error.Description);
            }
        }
    }
}
