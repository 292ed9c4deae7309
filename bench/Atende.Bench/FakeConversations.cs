using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Partners;

namespace Atende.Bench;

/// <summary>
/// Conversations of a sales team: in working hours (São Paulo time, weekdays), 92 % in the last 36 months (90 % of them
/// concluded) and 8 % scheduled in the next 60 days (pending), each owned by a seller of the partner's workspace.
/// Deterministic for a given seed. Not thread-safe.
/// </summary>
public sealed class FakeConversations(int seed, IReadOnlyList<long> channelIds, IReadOnlyList<long> typeIds, IReadOnlyDictionary<long, long[]> sellersByWorkspace)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    private static readonly (string Subject, string Description)[] Topics =
    [
        ("Apresentação da proposta", "Apresentei a proposta comercial e os prazos de entrega. O cliente vai avaliar com o sócio e dar retorno."),
        ("Retorno do orçamento", "Cliente recebeu o orçamento, achou o frete alto e pediu uma alternativa com retirada no depósito."),
        ("Negociação de desconto", "Pediram 10% de desconto para fechar o pedido trimestral; ofereci 5% à vista."),
        ("Cobrança de parcela em atraso", "Parcela de setembro em aberto. Prometeram pagar até o fim da semana e pediram a segunda via."),
        ("Acordo de pagamento", "Fechamos o saldo em três parcelas mensais no boleto. Termo de acordo enviado por e-mail."),
        ("Reativação de cliente", "Sem compras há seis meses. Mostrei a nova linha de produtos e combinamos uma visita."),
        ("Pesquisa de satisfação", "Nota 8. Gostaram do atendimento, reclamaram do prazo da última entrega."),
        ("Acompanhamento pós-venda", "Produto instalado e funcionando; a equipe ainda tem dúvidas sobre a configuração."),
        ("Visita técnica", "Agendada visita para avaliar a troca do equipamento e levantar as medidas."),
        ("Renovação de contrato", "Contrato vence no mês que vem. Cliente quer manter as condições atuais por mais um ano."),
        ("Dúvida sobre nota fiscal", "Pediram a correção do endereço de entrega na nota. Encaminhado ao faturamento."),
        ("Primeiro contato", "Indicação de um cliente antigo. Interessados em conhecer o catálogo e a tabela de preços."),
    ];

    private readonly Random _random = new(seed);
    private long _nextId;

    /// <summary>About <paramref name="mean"/> conversations for the partner (0 to twice the mean); sets its LastConversationAt.</summary>
    public List<Conversation> For(Partner partner, double mean, DateTimeOffset now, long createdById)
    {
        var count = _random.Next(0, (int)Math.Round(2 * mean) + 1);
        var list = new List<Conversation>(count);
        var sellers = sellersByWorkspace[partner.WorkspaceId];
        for (var i = 0; i < count; i++)
        {
            var future = _random.NextDouble() < 0.08;
            var at = WorkingTime(now, future ? _random.Next(0, 60) : -_random.Next(1, 36 * 30));
            var concluded = !future && _random.NextDouble() < 0.9;
            var created = future ? now.AddDays(-_random.Next(0, 20)) : at.AddMinutes(-_random.Next(0, 3 * 24 * 60));
            var (subject, description) = Topics[_random.Next(Topics.Length)];
            list.Add(new Conversation
            {
                Id = ++_nextId,
                PartnerId = partner.Id,
                WorkspaceId = partner.WorkspaceId,
                PartnerName = partner.Name,
                ChannelId = channelIds[_random.Next(channelIds.Count)],
                OpportunityTypeId = typeIds[_random.Next(typeIds.Count)],
                Subject = subject,
                Description = description,
                SellerId = sellers[_random.Next(sellers.Length)],
                At = at,
                Concluded = concluded,
                ConcludedAt = concluded ? at.AddMinutes(_random.Next(5, 90)) : null,
                CreatedAt = created,
                CreatedById = createdById,
                UpdatedAt = created,
                Version = 1,
            });
        }
        partner.LastConversationAt = list.Count == 0 ? null : list.Max(c => c.At);
        return list;
    }

    private DateTimeOffset WorkingTime(DateTimeOffset now, int days)
    {
        var date = ZoneTime.ToLocal(now, Zone).Date.AddDays(days);
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && _random.NextDouble() < 0.9)
        {
            // Most weekend dates move to a weekday on the same side of today.
            var saturday = date.DayOfWeek == DayOfWeek.Saturday;
            date = date.AddDays(days < 0 ? (saturday ? -1 : -2) : (saturday ? 2 : 1));
        }
        var local = date.AddHours(_random.Next(8, 18)).AddMinutes(15 * _random.Next(4));
        return ZoneTime.FromLocal(local, Zone);
    }
}
