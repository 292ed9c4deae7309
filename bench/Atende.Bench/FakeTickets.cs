using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Tickets;
using Bogus;

namespace Atende.Bench;

/// <summary>A partner as a ticket requester: what <see cref="TicketService"/> reads from it when a ticket is created.</summary>
public sealed record RequesterRef(long Id, string Name, long WorkspaceId, long? AccountManagerId, (long Id, string Name)[] Contacts);

/// <summary>A generated pipeline: its alias (reference prefix) and its tag ids.</summary>
public sealed record PipelineRef(long Id, string Alias, long[] TagIds);

/// <summary>Tickets with their children, in id order, ready to be written.</summary>
public sealed class TicketBatch
{
    public List<Ticket> Tickets { get; } = [];
    public List<Interaction> Interactions { get; } = [];
    public List<TicketChange> Changes { get; } = [];
    public int TagCount { get; set; }
}

/// <summary>
/// What is decided for all tickets up front so the data is skewed but exact: creation times (ascending, so ids and
/// reference numbers follow time as in the app), the pipeline of each ticket (one big pipeline, the rest by a Zipf-like
/// law) and the number of interactions of each ticket (exponential around the mean, summing exactly to the total).
/// </summary>
public sealed class TicketPlan
{
    public required long[] CreatedTicks { get; init; }
    public required int[] Pipeline { get; init; }
    public required int[] InteractionCount { get; init; }
    public required long[] PerPipeline { get; init; }

    public static TicketPlan Make(int tickets, long interactions, int pipelines, int big, int seed, DateTimeOffset start, DateTimeOffset end)
    {
        var r = new Random(seed);

        // Creation times: more tickets recently (the customer base grows), density ∝ t^0.5 over the span.
        var span = (end - start).Ticks;
        var created = new long[tickets];
        for (var i = 0; i < tickets; i++)
        {
            created[i] = start.UtcTicks + (long)(span * Math.Pow(r.NextDouble(), 1 / 1.5));
        }
        Array.Sort(created);

        // Pipelines: exactly `big` tickets in the first one, the rest by weights 1/k^0.9 (largest remainder).
        var perPipeline = new long[pipelines];
        perPipeline[0] = big;
        if (pipelines > 1)
        {
            var weights = Enumerable.Range(1, pipelines - 1).Select(k => 1 / Math.Pow(k, 0.9)).ToArray();
            Distribute(tickets - big, weights, perPipeline.AsSpan(1));
        }
        var pipelineOf = new int[tickets];
        var at = 0;
        for (var p = 0; p < pipelines; p++)
        {
            pipelineOf.AsSpan(at, (int)perPipeline[p]).Fill(p);
            at += (int)perPipeline[p];
        }
        r.Shuffle(pipelineOf);

        // Interactions per ticket: exponential weights (many tickets with a few, some with dozens, ~18 % with none
        // at a mean of 5), scaled so they add up to exactly `interactions`.
        var counts = new long[tickets];
        var expWeights = new double[tickets];
        for (var i = 0; i < tickets; i++)
        {
            expWeights[i] = -Math.Log(1 - r.NextDouble());
        }
        Distribute(interactions, expWeights, counts);
        return new TicketPlan
        {
            CreatedTicks = created,
            Pipeline = pipelineOf,
            InteractionCount = counts.Select(c => checked((int)c)).ToArray(),
            PerPipeline = perPipeline,
        };
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/>, exactly (largest remainder).</summary>
    private static void Distribute(long total, double[] weights, Span<long> into)
    {
        var sum = weights.Sum();
        long given = 0;
        var remainders = new (double Fraction, int Index)[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = total * weights[i] / sum;
            into[i] = (long)Math.Floor(exact);
            given += into[i];
            remainders[i] = (exact - into[i], i);
        }
        Array.Sort(remainders, (a, b) => b.Fraction.CompareTo(a.Fraction));
        for (var k = 0; given < total; k = (k + 1) % remainders.Length, given++)
        {
            into[remainders[k].Index]++;
        }
    }
}

/// <summary>
/// Makes tickets as <see cref="TicketService.Create"/> and later edits would leave them: reference ALIAS-n from the
/// pipeline's counter, TitleSort/RequesterSort/AssigneeSort/SearchText derived exactly as the service derives them, requester =
/// partner + one of its contacts, workspace of the partner, account manager of the partner; then a life: status,
/// bins, due dates, tags, interactions (sanitized HTML) and history rows. Deterministic for a seed. Not thread-safe.
/// </summary>
public sealed class FakeTickets
{
    // Short service requests as customers and agents write them (pt-BR); a suffix sometimes makes them unique.
    private static readonly string[] TitlePhrases =
    [
        "Erro ao emitir nota fiscal", "Segunda via de boleto", "Dúvida sobre cobrança", "Troca de senha do portal", "Instalação de impressora",
        "Impressora não imprime", "Orçamento para manutenção preventiva", "Cancelamento de contrato", "Atualização de cadastro",
        "Reclamação de atraso na entrega", "Agendamento de visita técnica", "Reembolso de cobrança indevida", "Sem acesso ao sistema",
        "Configuração de e-mail no celular", "Alteração de endereço de entrega", "Pedido de desconto", "Renovação de contrato",
        "Sistema lento", "Certificado digital vencido", "Backup não concluído", "Internet caindo", "Troca de equipamento em garantia",
        "Boleto não chegou", "Nota fiscal com valor errado", "Solicitação de relatório mensal", "Emissão de guia de impostos",
        "Declaração de imposto de renda", "Folha de pagamento com divergência", "Abertura de filial", "Alvará de funcionamento",
        "Alteração contratual", "Inclusão de funcionário", "Rescisão de funcionário", "Férias de colaborador", "Parcelamento de débito",
        "Certidão negativa de débitos", "Conciliação bancária", "Integração com o banco", "Erro na importação do XML",
        "Ar-condicionado não gela", "Manutenção do ar-condicionado", "Troca de lâmpadas", "Vazamento no banheiro", "Porta de vidro quebrada",
        "Notebook não liga", "Computador travando", "Vírus no computador", "Recuperação de arquivos apagados", "Roteador sem sinal",
        "Ramal telefônico mudo", "Câmera de segurança offline", "Alarme disparando sozinho", "Treinamento da equipe", "Implantação do sistema",
        "Migração de dados", "Licença do software expirada", "Novo usuário no sistema", "Bloqueio de usuário", "Permissão de acesso negada",
        "Pedido de demonstração", "Proposta comercial", "Visita comercial", "Cliente quer falar com o gerente", "Elogio ao atendimento",
        "Produto com defeito", "Devolução de mercadoria", "Troca de produto", "Entrega em endereço errado", "Mercadoria avariada",
        "Rastreamento de pedido", "Pedido incompleto", "Prazo de entrega", "Cadastro de fornecedor", "Cotação de preços",
        "Reajuste anual do contrato", "Multa por atraso", "Negociação de dívida", "Pagamento em duplicidade", "Estorno no cartão",
        "Pix não identificado", "Comprovante de pagamento", "Limite de crédito", "Atualização do sistema", "Relatório com dados errados",
    ];

    private static readonly string[] Cities =
    [
        "São Paulo", "Campinas", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Salvador", "Recife", "Brasília", "Florianópolis",
        "Goiânia", "Fortaleza", "Belém", "Manaus", "Vitória", "São Luís", "Niterói", "Santos", "Ribeirão Preto", "Uberlândia", "Londrina",
        "Joinville", "Maringá", "Jundiaí", "Sorocaba", "São José dos Campos", "Juiz de Fora", "Caxias do Sul", "Petrópolis", "Maceió",
    ];

    private static readonly string[] Months =
        ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];

    private static readonly string[] DescriptionSentences =
    [
        "Cliente entrou em contato pelo WhatsApp.", "Ligou duas vezes nesta semana.", "Pediu retorno ainda hoje.",
        "Informou que o problema começou depois da última atualização.", "Já tentou reiniciar o equipamento.",
        "Precisa da solução antes do fechamento do mês.", "Enviou fotos por e-mail.", "Mesmo problema do chamado anterior.",
        "Solicitou orçamento por escrito.", "Atendimento presencial na unidade.", "Contato preferencial pela manhã.",
        "O pagamento foi feito via Pix.", "A nota fiscal está em anexo.", "Aguardando aprovação do gerente financeiro.",
        "Cliente antigo, tratar com prioridade.", "Não conseguiu acessar o portal do cliente.",
    ];

    private static readonly string[] InteractionSentences =
    [
        "Cliente informou que o problema continua.", "Enviei o boleto atualizado por e-mail.", "Aguardando retorno do cliente.",
        "Técnico agendado para amanhã às 14h.", "Verifiquei o cadastro e os dados estão corretos.", "Solicitei os documentos pendentes.",
        "Problema resolvido após reinstalar o programa.", "Liguei e ninguém atendeu, tento de novo à tarde.",
        "Cliente confirmou o recebimento.", "Encaminhado para o financeiro.", "Encaminhado para o suporte nível 2.",
        "Orçamento enviado, validade de 15 dias.", "Pagamento identificado, baixa realizada.", "Peça solicitada ao fornecedor, prazo de 5 dias úteis.",
        "Visita realizada, equipamento funcionando.", "Cliente pediu para remarcar a visita.", "Nota fiscal reemitida com o valor correto.",
        "Acesso liberado, senha provisória enviada por SMS.", "Fiz o backup manualmente e agendei a rotina.", "Atualização aplicada com sucesso.",
        "Expliquei o procedimento por telefone.", "Cliente satisfeito com a solução.", "Reabrindo: o erro voltou a acontecer.",
        "Prazo combinado com o cliente: sexta-feira.", "Conferir com o gerente antes de conceder o desconto.",
        "Contrato assinado digitalmente.", "Segue o passo a passo em anexo.", "Estorno solicitado à operadora do cartão.",
        "Cliente não reconhece a cobrança de março.", "Sem resposta há 3 dias, enviei lembrete.",
    ];

    private static readonly string[] Greetings = ["Olá!", "Bom dia!", "Boa tarde!", "Prezado cliente,", "Oi, tudo bem?"];

    private static readonly string[] Signatures = ["Att.,<br>Equipe de Atendimento", "Qualquer dúvida, estamos à disposição.", "Obrigado pelo contato."];

    private static readonly decimal[] Prices = [0m, 0m, 0m, 0m, 99.90m, 150m, 250m, 390m, 490m, 890m, 1500m, 2400m];

    private static readonly TicketStatus[] Statuses =
    [
        TicketStatus.Open, TicketStatus.Reopened, TicketStatus.Analyzing, TicketStatus.Waiting, TicketStatus.Canceled, TicketStatus.Rejected,
        TicketStatus.Done,
    ];

    // Status weights in the order above: tickets older than 45 days are mostly finished; recent ones mostly open.
    private static readonly float[] OldStatusWeights = [0.02f, 0.02f, 0.03f, 0.04f, 0.08f, 0.05f, 0.76f];
    private static readonly float[] RecentStatusWeights = [0.30f, 0.05f, 0.20f, 0.15f, 0.04f, 0.02f, 0.24f];

    /// <summary>Company time zone of a fresh install (America/Sao_Paulo, UTC-3 without daylight saving since 2019).</summary>
    private static readonly TimeSpan Brt = TimeSpan.FromHours(-3);

    private readonly Faker _f;
    private readonly Random _r;
    private readonly long[] _staff;
    private readonly Dictionary<long, string> _assigneeSorts;
    private readonly string[] _publicBodies;
    private readonly string[] _internalBodies;

    public FakeTickets(int seed, (long Id, string Name)[] staff)
    {
        _f = new Faker("pt_BR") { Random = new Randomizer(seed) };
        _r = new Random(seed);
        _staff = staff.Select(s => s.Id).ToArray();
        _assigneeSorts = staff.ToDictionary(s => s.Id, s => SearchText.Normalize(s.Name));
        // Interaction bodies: a pool of short HTML bodies, each passed through the app's sanitizer (so they are
        // exactly what AddInteraction stores); sanitizing 5 million bodies one by one would dominate the run.
        _publicBodies = Enumerable.Range(0, 1500).Select(_ => RichText.Sanitize(PublicBody())).ToArray();
        _internalBodies = Enumerable.Range(0, 500).Select(_ => RichText.Sanitize($"<p>{Pick(InteractionSentences)}</p>")).ToArray();
    }

    /// <summary>The raw (unsanitized) bodies are not kept; these are for the verification.</summary>
    public IReadOnlyList<string> SampleBodies => [.. _publicBodies.Take(20), .. _internalBodies.Take(20)];

    private string PublicBody()
    {
        var text = $"<p>{Pick(Greetings)} {Pick(InteractionSentences)}";
        if (_r.Next(2) == 0)
        {
            text += " " + Pick(InteractionSentences);
        }
        text += "</p>";
        if (_r.Next(3) == 0)
        {
            text += $"<p>{Pick(Signatures)}</p>";
        }
        return text;
    }

    private T Pick<T>(T[] items) => items[_r.Next(items.Length)];

    private long Staff() => _staff[_r.Next(_staff.Length)];

    public void Next(TicketBatch batch, long id, PipelineRef pipeline, long number, RequesterRef partner, DateTimeOffset created, int interactionCount,
        ref long interactionId, ref long changeId, DateTimeOffset now)
    {
        var age = now - created;
        var status = _f.Random.WeightedRandom(Statuses, age > TimeSpan.FromDays(45) ? OldStatusWeights : RecentStatusWeights);
        var closed = TicketService.IsClosed(status);

        // Activity lasts a few days for finished tickets, and up to now for open ones.
        var activity = closed
            ? TimeSpan.FromMinutes(-Math.Log(1 - _r.NextDouble()) * 4 * 24 * 60)
            : TimeSpan.FromMinutes(_r.NextDouble() * Math.Min(age.TotalMinutes, 30 * 24 * 60));
        var last = created + (activity < age ? activity : age);

        var u = _r.NextDouble();
        var bin = u < 0.02 ? TicketBin.Trash : closed && u < 0.02 + 0.13 ? TicketBin.Archived : TicketBin.Active;

        var tagCount = _f.Random.WeightedRandom([0, 1, 2, 3], [0.15f, 0.35f, 0.35f, 0.15f]);
        var edited = status != TicketStatus.Open || bin != TicketBin.Active || _r.NextDouble() < 0.3;
        if (bin != TicketBin.Active)
        {
            // Archived or trashed some days after the last activity.
            var later = last + TimeSpan.FromMinutes(_r.Next(60, 20 * 24 * 60));
            last = later < now ? later : now;
        }
        var updated = edited || interactionCount > 0 ? last : created;

        var (contactId, contactName) = _r.NextDouble() < 0.95 ? partner.Contacts[_r.Next(partner.Contacts.Length)] : (0L, (string?)null);
        var reference = pipeline.Alias + "-" + number.ToString(CultureInfo.InvariantCulture);
        var title = Title(created);
        var requesterName = contactName ?? partner.Name;
        DateTimeOffset? due = null;
        if (_r.NextDouble() < 0.4)
        {
            // Due at 18:00 (company time) 1 to 30 days after creation: overdue when still open after that.
            var local = created.ToOffset(Brt).Date.AddDays(_r.Next(1, 31)).AddHours(18);
            due = new DateTimeOffset(local, Brt).ToUniversalTime();
        }
        var creator = Staff();
        var ticket = new Ticket
        {
            Id = id,
            PipelineId = pipeline.Id,
            WorkspaceId = partner.WorkspaceId,
            Reference = reference,
            Number = number,
            Title = title,
            TitleSort = SearchText.Normalize(title),
            Description = _r.NextDouble() < 0.6 ? Description() : null,
            PartnerId = partner.Id,
            ContactId = contactId == 0 ? null : contactId,
            Value = Pick(Prices),
            AssigneeId = _r.NextDouble() < 0.85 ? Staff() : null,
            AccountManagerId = partner.AccountManagerId,
            DueAt = due,
            Status = status,
            Bin = bin,
            CreatedAt = created,
            CreatedById = creator,
            UpdatedAt = updated,
            EditedAt = updated,
            EditedById = updated > created ? Staff() : null,
            Edited = edited,
            NotifiedAt = _r.NextDouble() < 0.25 ? created + TimeSpan.FromMinutes(_r.Next(1, 10)) : null,
            RequesterName = requesterName,
            RequesterSort = SearchText.Normalize(requesterName),
            SearchText = SearchText.Build(reference, title, requesterName, partner.Name),
            Version = edited ? 2 + _r.Next(4) : 1,
        };
        ticket.AssigneeSort = ticket.AssigneeId is { } assigneeId ? _assigneeSorts[assigneeId] : "";
        var tags = pipeline.TagIds;
        while (ticket.Tags.Count < Math.Min(tagCount, tags.Length))
        {
            var tagId = tags[_r.Next(tags.Length)];
            if (ticket.Tags.All(t => t.TagId != tagId))
            {
                ticket.Tags.Add(new TicketTag { TicketId = id, TagId = tagId });
            }
        }
        batch.Tickets.Add(ticket);
        batch.TagCount += ticket.Tags.Count;

        // Interactions between creation and the last activity, in time order (ids follow it, as in the app).
        if (interactionCount > 0)
        {
            var spanTicks = (last - created).Ticks;
            var times = new long[interactionCount];
            for (var k = 0; k < interactionCount; k++)
            {
                times[k] = created.UtcTicks + (long)(_r.NextDouble() * spanTicks);
            }
            Array.Sort(times);
            times[^1] = last.UtcTicks;
            for (var k = 0; k < interactionCount; k++)
            {
                var isInternal = _r.NextDouble() < 0.3;
                batch.Interactions.Add(new Interaction
                {
                    Id = ++interactionId,
                    TicketId = id,
                    Body = isInternal ? Pick(_internalBodies) : Pick(_publicBodies),
                    Internal = isInternal,
                    AuthorId = Staff(),
                    CreatedAt = new DateTimeOffset(times[k], TimeSpan.Zero),
                    Notify = !isInternal && _r.NextDouble() < 0.2,
                });
            }
        }

        // History: "created" as TicketService.Create records it; then the status change and the bin move, if any.
        batch.Changes.Add(new TicketChange { Id = ++changeId, TicketId = id, At = created, UserId = creator, Field = "created", NewValue = reference });
        if (status != TicketStatus.Open)
        {
            var at = closed ? updated : created + TimeSpan.FromTicks((updated - created).Ticks / 2);
            batch.Changes.Add(new TicketChange
            {
                Id = ++changeId, TicketId = id, At = at, UserId = Staff(), Field = "status",
                OldValue = TicketService.StatusName(TicketStatus.Open), NewValue = TicketService.StatusName(status),
            });
        }
        if (bin != TicketBin.Active)
        {
            batch.Changes.Add(new TicketChange
            {
                Id = ++changeId, TicketId = id, At = updated, UserId = Staff(), Field = bin == TicketBin.Trash ? "trashed" : "archived",
                OldValue = "Lista", NewValue = bin == TicketBin.Trash ? "Lixeira" : "Arquivado",
            });
        }
    }

    private string Title(DateTimeOffset created)
    {
        var title = Pick(TitlePhrases);
        return _r.Next(12) switch
        {
            0 => title + " - urgente",
            1 => $"{title} (unidade {Pick(Cities)})",
            2 => $"{title} - NF {_r.Next(1000, 99999).ToString(CultureInfo.InvariantCulture)}",
            3 => $"{title} - {Months[created.ToOffset(Brt).Month - 1]}/{created.ToOffset(Brt).Year.ToString(CultureInfo.InvariantCulture)}",
            4 => $"{title} - pedido {_r.Next(10000, 999999).ToString(CultureInfo.InvariantCulture)}",
            5 => $"{title} - {_f.Name.FirstName()}",
            _ => title,
        };
    }

    private string Description()
    {
        var text = Pick(DescriptionSentences);
        if (_r.Next(2) == 0)
        {
            text += "\n" + Pick(DescriptionSentences);
        }
        return RichText.CleanLines(text);
    }
}
