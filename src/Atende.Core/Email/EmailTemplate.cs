namespace Atende.Core.Email;

/// <summary>
/// What a template is for. Custom templates are inserted into interactions by the staff; each of the others is the text of
/// one automatic ticket e-mail, exists exactly once (created by the migration) and can be edited but not deleted.
/// </summary>
public enum EmailTemplatePurpose
{
    Custom,
    /// <summary>To the requester's contact when the ticket's status changes.</summary>
    StatusChanged,
    /// <summary>"Notificar": to the assignee of a new ticket, with its link.</summary>
    Assigned,
    /// <summary>"Salvar e notificar": wraps the interaction (<c>{{interacao}}</c>) sent to the requester's contact.</summary>
    Interaction,
    /// <summary>To the portal user who opened a request in the portal: the confirmation with its reference.</summary>
    PortalRequestReceived,
    /// <summary>To the assignee when a portal user opens a request or writes on one.</summary>
    PortalMessage,
    /// <summary>To a portal user whose screen did not receive the team's chat messages within 5 minutes: those messages, once.</summary>
    ChatMissed,
}

/// <summary>Modelo de e-mail: a subject and a sanitized HTML body with placeholders (<see cref="Placeholders"/>).</summary>
public class EmailTemplate
{
    public long Id { get; set; }
    public EmailTemplatePurpose Purpose { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The normalized name (accents and case ignored): the list's order and what makes a name unique.</summary>
    public string SortName { get; set; } = "";
    /// <summary>Plain text with placeholders; the ticket's bracketed reference is put in front when it lacks it.</summary>
    public string Subject { get; set; } = "";
    /// <summary>Sanitized HTML (<see cref="Common.RichText.Sanitize"/>) with placeholders.</summary>
    public string Body { get; set; } = "";
    /// <summary>An inactive custom template is not offered in interactions; an inactive automatic one stops that e-mail.</summary>
    public bool Active { get; set; } = true;
    public int Version { get; set; }
    /// <summary>Null while the text is the one the migration wrote.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
    public long? UpdatedById { get; set; }

    public bool IsAutomatic => Purpose != EmailTemplatePurpose.Custom;
}
