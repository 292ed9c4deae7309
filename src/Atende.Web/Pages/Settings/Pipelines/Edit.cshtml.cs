using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.Pipelines;

/// <summary>Creates or edits a pipeline: name, alias, description, active flag and the users authorized on it.</summary>
public sealed class EditModel(PipelineService pipelines, UserService users) : AppPage, IStaleNoticePage
{
    [BindProperty] public PipelineInput Input { get; set; } = new();

    /// <summary>The version the form was loaded from; a save based on an older one is refused.</summary>
    [BindProperty] public int Version { get; set; }

    public long? Id { get; private set; }
    /// <summary>The stored name and active flag (the form may hold edited values).</summary>
    public string StoredName { get; private set; } = "";
    public bool StoredActive { get; private set; }
    /// <summary>Set when the save was refused because someone else saved first.</summary>
    public string? StaleMessage { get; set; }
    /// <summary>Staff users that may be authorized: the active ones, plus inactive ones already authorized (kept unless unticked).</summary>
    public List<User> Staff { get; private set; } = [];

    public async Task<IActionResult> OnGet(long? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } existing)
        {
            var pipeline = await LoadStored(existing, ct);
            Input = new PipelineInput
            {
                Name = pipeline.Name, Alias = pipeline.Alias, Description = pipeline.Description, Active = pipeline.Active,
                AuthorizedUserIds = pipeline.Users.Select(u => u.UserId).ToList(),
            };
            Version = pipeline.Version;
        }
        await LoadStaff(ct);
        return Page();
    }

    public async Task<IActionResult> OnPost(long? id, CancellationToken ct)
    {
        Id = id;
        if (ModelState.IsValid)
        {
            var pipeline = id is { } existing ? await pipelines.Update(existing, Version, Input, ct) : await pipelines.Create(Input, ct);
            Flash(id is null
                ? $"Fluxo \"{pipeline.Name}\" criado. Os atendimentos dele serão numerados {pipeline.Alias}-1, {pipeline.Alias}-2…"
                : $"Fluxo \"{pipeline.Name}\" salvo.");
            return Redirect($"/settings/pipelines#pipeline-{pipeline.Id}");
        }
        await Redisplay(ct);
        return Page();
    }


    public async Task Redisplay(CancellationToken ct)
    {
        if (Id is { } stored)
        {
            await LoadStored(stored, ct);
        }
        await LoadStaff(ct);
    }

    private async Task<Pipeline> LoadStored(long id, CancellationToken ct)
    {
        var pipeline = await pipelines.Get(id, ct);
        StoredName = pipeline.Name;
        StoredActive = pipeline.Active;
        return pipeline;
    }

    private async Task LoadStaff(CancellationToken ct)
    {
        Staff = await users.ActiveStaff(ct);
        foreach (var userId in Input.AuthorizedUserIds.Distinct().Where(uid => Staff.All(u => u.Id != uid)))
        {
            try
            {
                var user = await users.Get(userId, ct);
                if (user.Role != UserRole.Portal)
                {
                    Staff.Add(user);
                }
            }
            catch (NotFoundException)
            {
                // A user id that no longer exists: nothing to show; the service refuses it if posted.
            }
        }
    }
}
