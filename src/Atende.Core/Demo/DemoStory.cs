namespace Atende.Core.Demo;

/// <summary>What a demo partner is: it decides which stories its tickets tell. Leads are not clients yet (sales tickets only).</summary>
internal enum DemoKind { Company, Mei, Person, Supplier, CompanyLead, PersonLead }

/// <param name="Contacts">Contact names; a person's only contact is the person.</param>
internal sealed record DemoPartner(string Name, DemoKind Kind, bool Campinas, string Note, params string[] Contacts);

/// <summary>
/// One kind of ticket of the accounting office: its titles and the notes written at each step of its story. Texts may hold
/// {mes} (the month the work refers to), {mesano} ("outubro/2026"), {mes_seguinte}, {contato} (the contact's first name),
/// {func} (an employee), {nf} (an invoice number), {valor} (an amount), {ramo} (a line of business), {n} (a head count).
/// </summary>
internal sealed record TicketStory(
    bool Sales,
    DemoKind[] For,
    string[] Titles,
    string Description,
    string Category,
    string Subcategory,
    string? CatalogItem,
    decimal MinValue,
    decimal MaxValue,
    string[] Opening,
    string[] Request,
    string[] Reply,
    string[] Working,
    string[] Closing,
    string[] Lost);

/// <summary>The texts of the demo: an accounting office in São Paulo with a branch in Campinas, its clients and their requests.</summary>
internal static class DemoStory
{
    public static readonly DemoPartner[] Partners =
    [
        new("Padaria e Confeitaria Pão Dourado Ltda", DemoKind.Company, false, "Simples Nacional, anexo I. 14 funcionários.", "Antônio Ferreira", "Luciana Ferreira"),
        new("Restaurante Sabor da Serra Ltda", DemoKind.Company, false, "Simples Nacional, anexo I. Folha com 22 funcionários.", "Marcos Vinícius Lopes", "Patrícia Nunes"),
        new("Clínica Odontológica Sorriso Pleno Ltda", DemoKind.Company, false, "Lucro Presumido. Quatro dentistas sócias.", "Renata Okamoto", "Fernanda Dias"),
        new("Auto Mecânica Irmãos Teixeira Ltda", DemoKind.Company, false, "Simples Nacional, anexos I e III (peças e serviços).", "Roberto Teixeira"),
        new("Farmácia Vida Saudável Ltda", DemoKind.Company, false, "Simples Nacional, anexo I. Substituição tributária nos medicamentos.", "Cláudia Siqueira", "Paulo Henrique Rocha"),
        new("Mercadinho Bom Preço Ltda", DemoKind.Company, false, "Simples Nacional, anexo I.", "José Carlos Almeida"),
        new("Studio Bella Forma Academia Ltda", DemoKind.Company, false, "Simples Nacional, anexo III.", "Tatiane Moraes"),
        new("Construtora Alicerce Forte Ltda", DemoKind.Company, false, "Lucro Presumido. Obras com matrícula CNO.", "Eduardo Bastos", "Simone Araújo", "Gilberto Ramos"),
        new("Escola de Idiomas Fluent Ltda", DemoKind.Company, false, "Simples Nacional, anexo III.", "Priscila Yamamoto"),
        new("Pet Shop Amigo Fiel Ltda", DemoKind.Company, false, "Simples Nacional, anexos I e III.", "Diego Martins"),
        new("Lavanderia Express Limpeza Ltda", DemoKind.Company, false, "Simples Nacional, anexo III.", "Sandra Regina Costa"),
        new("TechNova Soluções em Software Ltda", DemoKind.Company, false, "Simples Nacional com fator R. Sócios no pró-labore.", "Rafael Menezes", "Camila Freitas"),
        new("Clínica de Fisioterapia Movimento Ltda", DemoKind.Company, false, "Lucro Presumido.", "Gustavo Pacheco"),
        new("Pizzaria Bella Napoli Ltda", DemoKind.Company, false, "Simples Nacional, anexo I. Delivery por aplicativo.", "Giovanni Russo", "Aline Russo"),
        new("Distribuidora de Bebidas Gelada Ltda", DemoKind.Company, false, "Lucro Presumido. ICMS-ST nas bebidas.", "Wagner Souza"),
        new("Ótica Visão Clara Ltda", DemoKind.Company, false, "Simples Nacional, anexo I.", "Helena Barros"),
        new("Transportadora Rota Sul Ltda", DemoKind.Company, false, "Lucro Presumido. 35 motoristas.", "Fábio Cardoso", "Juliana Prates"),
        new("Salão Espaço Beleza Ltda", DemoKind.Company, false, "Simples Nacional. Salão-parceiro (Lei 13.352).", "Débora Lima"),
        new("Imobiliária Casa Nova Ltda", DemoKind.Company, false, "Lucro Presumido.", "Ricardo Moura"),
        new("Gráfica Impressão Rápida Ltda", DemoKind.Company, false, "Simples Nacional, anexo II.", "Sérgio Nakamura"),
        new("Laboratório de Análises Vital Ltda", DemoKind.Company, false, "Lucro Presumido.", "Beatriz Campos", "Márcia Lopes"),
        new("Loja de Roupas Estilo Urbano Ltda", DemoKind.CompanyLead, false, "Loja física e virtual. Hoje com outro escritório; pediu proposta.", "Vanessa Pires"),
        new("Arquitetura Traço Livre Ltda", DemoKind.Company, false, "Simples Nacional com fator R.", "Letícia Andrade"),
        new("Hortifrúti Colheita Fresca Ltda", DemoKind.CompanyLead, false, "Indicação da Padaria Pão Dourado. Hoje com outro escritório.", "Manoel Pereira"),
        new("Clínica Veterinária Bicho Feliz Ltda", DemoKind.Company, false, "Simples Nacional, anexos I e III.", "André Figueiredo"),
        new("Marcenaria Arte em Madeira Ltda", DemoKind.Company, false, "Simples Nacional, anexo II.", "Valdir Schmidt"),
        new("Bistrô Café com Prosa Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Isabela Cordeiro"),
        new("Clínica Dermatológica Pele Viva Ltda", DemoKind.Company, true, "Lucro Presumido.", "Carolina Reis", "Thaís Gomes"),
        new("Moto Peças Barão Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Leandro Oliveira"),
        new("Colégio Pequeno Saber Ltda", DemoKind.Company, true, "Simples Nacional, anexo III. 28 funcionários.", "Rosângela Vieira", "Márcio Azevedo"),
        new("Agropecuária Campo Verde Ltda", DemoKind.Company, true, "Lucro Presumido.", "Osvaldo Bertolini"),
        new("Cervejaria Artesanal Taquaral Ltda", DemoKind.Company, true, "Lucro Presumido. IPI e ICMS-ST.", "Felipe Guimarães"),
        new("Papelaria Ponto Escolar Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Cristina Matos"),
        new("Engenharia Elétrica Voltagem Ltda", DemoKind.CompanyLead, true, "Conheceu o escritório numa palestra da associação comercial.", "Henrique Duarte"),
        new("Sorveteria Gelato Mio Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Bianca Tonelli"),
        new("Academia Corpo em Movimento Ltda", DemoKind.Company, true, "Simples Nacional, anexo III.", "Rodrigo Sales"),
        new("Pousada Flamboyant Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Marta Rezende"),
        new("Floricultura Jardim Encantado Ltda", DemoKind.Company, true, "Simples Nacional, anexo I.", "Sueli Tanaka"),
        new("Juliana Prado Design Gráfico", DemoKind.Mei, false, "MEI desde 2021.", "Juliana Prado"),
        new("JR Manutenção de Ar-Condicionado", DemoKind.Mei, false, "MEI. Perto do limite anual de faturamento.", "José Roberto Silva"),
        new("Doces da Vó Tereza", DemoKind.Mei, false, "MEI. Vende por encomenda e em feiras.", "Tereza Cristina Gomes"),
        new("Eletricista Paulo Santos", DemoKind.Mei, false, "MEI.", "Paulo Santos"),
        new("Ateliê Costura Fina", DemoKind.Mei, true, "MEI.", "Maria Aparecida Souza"),
        new("Barbearia Navalha de Ouro", DemoKind.Mei, false, "MEI com um empregado.", "Everton Rodrigues"),
        new("Fotografia Luz e Momento", DemoKind.Mei, true, "MEI.", "Camila Antunes"),
        new("Personal Trainer Lucas Brandão", DemoKind.Mei, false, "MEI.", "Lucas Brandão"),
        new("Bolos e Salgados Sabor Caseiro", DemoKind.Mei, true, "MEI.", "Neide Fernandes"),
        new("Carreto e Mudanças Rapidão", DemoKind.Mei, false, "MEI.", "Adriano Costa"),
        new("Marcelo Antunes Viana", DemoKind.Person, false, "Médico. Carnê-leão mensal e IRPF.", "Marcelo Antunes Viana"),
        new("Luiza Fontana Kato", DemoKind.Person, false, "Psicóloga autônoma. Carnê-leão mensal.", "Luiza Fontana Kato"),
        new("Roberto Carlos Nogueira", DemoKind.Person, false, "Aluguel de três imóveis. Carnê-leão e IRPF.", "Roberto Carlos Nogueira"),
        new("Sônia Maria Albuquerque", DemoKind.Person, false, "Aposentada. IRPF.", "Sônia Maria Albuquerque"),
        new("Ana Cláudia Torres", DemoKind.Person, true, "Dentista autônoma. Carnê-leão mensal.", "Ana Cláudia Torres"),
        new("João Pedro Salgado", DemoKind.PersonLead, false, "Engenheiro. Quer abrir uma empresa de projetos.", "João Pedro Salgado"),
        new("Mariana Costa Ribeiro", DemoKind.PersonLead, false, "Advogada autônoma. Avalia abrir sociedade unipessoal.", "Mariana Costa Ribeiro"),
        new("Carlos Eduardo Mendonça", DemoKind.Person, true, "Produtor rural. Livro-caixa da atividade rural.", "Carlos Eduardo Mendonça"),
        new("Thiago Ramos Figueira", DemoKind.PersonLead, false, "Quer abrir uma hamburgueria.", "Thiago Ramos Figueira"),
        new("Larissa Monteiro Paz", DemoKind.PersonLead, true, "Quer abrir uma clínica de estética.", "Larissa Monteiro Paz"),
        new("Sistemas Contábeis Prisma Ltda", DemoKind.Supplier, false, "Fornecedor do sistema contábil e da folha.", "Otávio Lacerda"),
        new("Certificadora Digital Confiança Ltda", DemoKind.Supplier, false, "Fornecedor de certificados digitais A1 e A3.", "Renan Vasconcelos"),
    ];

    private static readonly DemoKind[] Companies = [DemoKind.Company];
    private static readonly DemoKind[] CompaniesAndMeis = [DemoKind.Company, DemoKind.Mei];
    private static readonly DemoKind[] Meis = [DemoKind.Mei];
    private static readonly DemoKind[] People = [DemoKind.Person];
    private static readonly DemoKind[] CompanyLeads = [DemoKind.CompanyLead];
    private static readonly DemoKind[] PersonLeads = [DemoKind.PersonLead];

    public static readonly TicketStory[] Service =
    [
        new(false, Companies, ["Fechamento fiscal de {mesano}", "Apuração de impostos de {mesano}"],
            "Apuração dos impostos de {mesano}: notas de entrada e saída, extrato bancário e relatório das vendas no cartão.",
            "Fiscal", "Apuração de impostos", null, 0, 0,
            ["Competência {mesano} aberta. Importadas as notas de saída do portal da prefeitura; faltam as notas de entrada.",
                "{contato} avisou que as notas de saída de {mes} já estão todas emitidas."],
            ["Olá, {contato}! Para fecharmos {mesano} precisamos do extrato bancário completo do mês e das notas de entrada. Pode enviar por aqui ou pelo WhatsApp.",
                "{contato}, faltam os relatórios das vendas no cartão de {mes} (maquininha e aplicativos de entrega). Assim que chegarem, concluímos a apuração."],
            ["Cliente enviou o extrato de {mes}; falta a nota de serviço {nf}.",
                "{contato} mandou as notas de entrada pelo WhatsApp. Conferidas e lançadas.",
                "Recebido o relatório da maquininha de {mes}. Batido com o faturamento, diferença de centavos."],
            ["Nota {nf} de {mes} foi emitida com CFOP errado; pedir carta de correção ao fornecedor.",
                "Receita bruta dos últimos 12 meses passou de R$ 1,8 milhão: conferir a mudança de faixa no Simples.",
                "Retenção de ISS na nota {nf}: o tomador é de outro município. Conferir antes de apurar."],
            ["Apuração de {mesano} concluída. Guias do DAS e do ISS enviadas por e-mail, com vencimento no dia 20.",
                "Impostos de {mes} apurados e guias enviadas. O DAS ficou em R$ {valor}."],
            []),
        new(false, Meis, ["DAS de {mesano}", "Guia do MEI de {mesano}"],
            "Emissão da guia mensal do MEI e acompanhamento do limite anual de faturamento.",
            "Fiscal", "Apuração de impostos", null, 0, 0,
            ["{contato} pediu a guia do DAS de {mes} pelo WhatsApp.", "Lembrete mensal: DAS de {mes} a emitir."],
            ["{contato}, quanto você faturou em {mes}? Precisamos do valor para acompanhar o limite anual do MEI."],
            ["Cliente informou faturamento de R$ {valor} em {mes}.", "{contato} mandou a planilha de vendas de {mes}."],
            ["Faturamento do ano já está em 78% do limite do MEI; avisar o cliente para planejar o desenquadramento.",
                "Há um DAS de meses anteriores em aberto no PGMEI; incluir na conversa com o cliente."],
            ["DAS de {mes} emitido e enviado por e-mail. Vencimento no dia 20.", "Guia do DAS de {mes} enviada. Lembrete: a DASN-SIMEI vence em maio."],
            []),
        new(false, Companies, ["Folha de pagamento de {mesano}"],
            "Processamento da folha de {mesano}: horas extras, faltas, vales e comissões.",
            "Departamento pessoal", "Folha de pagamento", null, 0, 0,
            ["Abertura da folha de {mes}. Modelo da planilha de ponto enviado ao cliente."],
            ["{contato}, precisamos até o dia 25 da planilha de ponto de {mes} com horas extras, faltas e comissões de cada funcionário."],
            ["Planilha de ponto recebida. {func} teve 12 horas extras; ninguém com falta.", "Cliente enviou as comissões de {mes}; falta o atestado de {func}."],
            ["Conferir o adicional noturno de {func}: a convenção coletiva mudou em setembro.", "eSocial: eventos da folha de {mes} transmitidos sem erros.",
                "Folha calculada; aguardando conferência antes de enviar."],
            ["Folha de {mes} fechada. Holerites e guias do FGTS e do INSS enviados por e-mail.", "Holerites de {mes} enviados. FGTS vence no dia 20; DCTFWeb transmitida."],
            []),
        new(false, Companies, ["Admissão de {func}"],
            "Registro de {func}, contratado(a) como auxiliar. Início previsto para a próxima semana.",
            "Departamento pessoal", "Admissão", null, 0, 0,
            ["{contato} avisou que vai contratar {func}; início previsto para a próxima segunda-feira."],
            ["{contato}, para registrar {func} precisamos de RG, CPF, carteira de trabalho digital, comprovante de endereço e do atestado de saúde ocupacional (ASO)."],
            ["Documentos de {func} recebidos; falta o ASO.", "ASO de {func} chegou. Tudo certo para o registro."],
            ["Salário informado está abaixo do piso da convenção; confirmar com o cliente.", "Evento S-2200 de {func} transmitido ao eSocial."],
            ["Admissão de {func} registrada no eSocial. Contrato de trabalho e ficha de registro enviados para assinatura."],
            []),
        new(false, Companies, ["Rescisão de {func}"],
            "Cálculo da rescisão de {func}, desligamento sem justa causa com aviso prévio indenizado.",
            "Departamento pessoal", "Rescisão", "Rescisão trabalhista", 180, 260,
            ["{contato} informou o desligamento de {func}, sem justa causa, com aviso prévio indenizado."],
            ["{contato}, confirme por favor o último dia trabalhado de {func} e se há férias vencidas ou banco de horas."],
            ["Cliente confirmou: último dia trabalhado na sexta, sem banco de horas."],
            ["Multa de 40% do FGTS calculada; conferir a guia antes de enviar.", "Pagamento da rescisão em até 10 dias corridos após o desligamento."],
            ["Termo de rescisão, guia do FGTS e chave do seguro-desemprego de {func} enviados. Pagamento dentro do prazo legal."],
            []),
        new(false, Companies, ["Férias de {func}"],
            "Cálculo e aviso de férias de {func}.",
            "Departamento pessoal", "Férias", null, 0, 0,
            ["Cliente quer conceder férias a {func} a partir do dia 5."],
            ["{contato}, {func} vai vender 10 dias de férias (abono pecuniário)? Precisamos saber para o cálculo."],
            ["{contato} respondeu: 30 dias corridos, sem abono."],
            ["O aviso de férias deve ser entregue com 30 dias de antecedência; o cliente avisou em cima da hora."],
            ["Recibo e aviso de férias de {func} enviados. Pagamento até dois dias antes do início."],
            []),
        new(false, CompaniesAndMeis, ["Certidão negativa de débitos", "Certidões para licitação"],
            "Cliente precisa das certidões negativas federal, estadual e municipal para participar de uma licitação.",
            "Societário", "Certidões", null, 0, 0,
            ["Solicitada a certidão negativa na Receita.", "Emitidas a certidão municipal e o CRF do FGTS; a federal saiu positiva."],
            ["{contato}, a certidão federal saiu com pendência: falta a entrega da DCTFWeb de {mes}. Podemos transmitir com a multa por atraso?"],
            ["Cliente autorizou a transmissão e o pagamento da multa."],
            ["Pendência no e-CAC: divergência de GFIP de 2023. Abrir processo de retificação."],
            ["Certidão negativa federal emitida, válida por 180 dias. As três certidões foram enviadas por e-mail."],
            []),
        new(false, Companies, ["Alteração contratual — mudança de endereço", "Alteração contratual — entrada de sócio"],
            "Alteração do contrato social: registro na Junta Comercial e atualização na Receita e na Prefeitura.",
            "Societário", "Alteração contratual", "Alteração contratual", 850, 1200,
            ["Cliente vai mudar a sede no início do mês que vem.", "{contato} quer incluir um novo sócio com 20% das quotas."],
            ["{contato}, precisamos do contrato de locação do novo endereço e do IPTU do imóvel para a consulta de viabilidade."],
            ["Contrato de locação recebido. Consulta de viabilidade deferida pela prefeitura."],
            ["Protocolo na Junta Comercial em exigência: falta a assinatura digital de um dos sócios.", "Taxa da Junta paga; aguardando o registro."],
            ["Alteração registrada na Junta Comercial. CNPJ e inscrição municipal atualizados; documentos enviados por e-mail."],
            []),
        new(false, CompaniesAndMeis, ["Parcelamento de débitos do Simples Nacional"],
            "DAS em atraso e aviso de exclusão do Simples Nacional: pedir o parcelamento.",
            "Fiscal", "Parcelamento", null, 0, 0,
            ["Cliente tem três DAS em atraso e recebeu aviso de exclusão do Simples."],
            ["{contato}, simulamos o parcelamento em 60 vezes com parcela de R$ {valor}. Confirma que podemos pedir pelo portal do Simples?"],
            ["{contato} autorizou o parcelamento em 60 parcelas."],
            ["A primeira parcela precisa ser paga até o último dia útil do mês, senão o pedido é cancelado."],
            ["Parcelamento deferido. Guia da primeira parcela enviada; as próximas seguem todo mês junto com o DAS."],
            []),
        new(false, People, ["Carnê-leão de {mesano}"],
            "Cálculo do carnê-leão de {mesano} sobre os rendimentos recebidos de pessoas físicas.",
            "Contábil", "Imposto de renda", null, 0, 0,
            ["{contato} enviou os recibos de {mes}.", "Competência {mesano} aberta no livro-caixa."],
            ["{contato}, faltam os recibos dos atendimentos particulares e o comprovante do aluguel recebido em {mes}."],
            ["Recibos de {mes} recebidos: 23 atendimentos particulares.", "Cliente mandou o informe do aluguel de {mes}."],
            ["Livro-caixa: incluir a anuidade do conselho como despesa dedutível."],
            ["Carnê-leão de {mes} calculado. DARF enviado, com vencimento no último dia útil de {mes_seguinte}."],
            []),
        new(false, CompaniesAndMeis, ["Nota fiscal de serviço com alíquota errada", "Cancelamento da NFS-e {nf}"],
            "Cliente emitiu uma NFS-e com erro e precisa cancelar e reemitir.",
            "Fiscal", "Nota fiscal", null, 0, 0,
            ["Cliente emitiu a NFS-e {nf} com a alíquota de ISS errada e quer cancelar."],
            ["{contato}, para cancelar a nota {nf} precisamos que o tomador confirme por e-mail que ainda não fez o pagamento."],
            ["Tomador confirmou o cancelamento por e-mail."],
            ["O prazo para cancelar pela prefeitura é de 30 dias; a nota {nf} ainda está no prazo."],
            ["NFS-e {nf} cancelada e reemitida com a alíquota correta de 2%. Cópia enviada ao cliente."],
            []),
        new(false, Companies, ["Balancete para o banco", "Balancete e DRE para renovação de crédito"],
            "O banco pediu balancete e DRE dos últimos 12 meses para renovar o capital de giro.",
            "Contábil", "Balancete", null, 0, 0,
            ["Gerente do banco pediu o balancete assinado até o fim do mês."],
            ["{contato}, para fechar o balancete precisamos dos extratos das aplicações e do contrato do empréstimo atual."],
            ["Extratos das aplicações recebidos."],
            ["Conciliação de {mes} com diferença de R$ {valor}: tarifa bancária não lançada.", "Balancete pronto; falta a assinatura digital do sócio."],
            ["Balancete e DRE assinados e enviados ao cliente e ao gerente do banco."],
            []),
        new(false, Companies, ["Conciliação bancária de {mesano}"],
            "Conciliação das contas bancárias de {mesano}.",
            "Contábil", "Conciliação bancária", null, 0, 0,
            ["Importado o extrato OFX de {mes}."],
            ["{contato}, há 4 pagamentos sem comprovante em {mes}, entre eles uma transferência de R$ {valor}. Pode nos mandar os comprovantes?"],
            ["Cliente enviou 3 dos 4 comprovantes; a transferência foi retirada de pró-labore."],
            ["Lançar a transferência como pró-labore e orientar o sócio a não misturar as contas."],
            ["Conciliação de {mes} concluída, sem pendências."],
            []),
    ];

    public static readonly TicketStory[] Sales =
    [
        new(true, PersonLeads, ["Abertura de empresa — {ramo}"],
            "Quer abrir {ramo} e pediu orçamento para a abertura e a contabilidade mensal.",
            "Comercial", "Proposta", "Abertura de empresa", 1200, 2400,
            ["Primeiro contato pelo site: {contato} quer abrir {ramo} ainda este ano.", "Indicação de cliente. {contato} quer abrir {ramo}."],
            ["Proposta enviada: abertura da empresa por R$ {valor} e honorários mensais a partir do terceiro mês."],
            ["{contato} gostou da proposta; quer comparar o Simples com o Lucro Presumido antes de assinar."],
            ["A atividade entra no anexo III do Simples com o fator R; vale explicar na reunião."],
            ["Contrato assinado. Abertura iniciada: consulta de viabilidade protocolada na prefeitura."],
            ["{contato} decidiu adiar a abertura para o ano que vem.", "Fechou com um escritório indicado pelo sócio."]),
        new(true, CompanyLeads, ["Contabilidade mensal — troca de escritório"],
            "Empresa quer trocar de escritório de contabilidade a partir do mês que vem.",
            "Comercial", "Proposta", "Honorários mensais — Simples Nacional", 650, 2900,
            ["Empresa insatisfeita com o escritório atual; chegou por indicação de cliente."],
            ["Proposta enviada: honorários de R$ {valor} por mês, incluindo a folha de até 10 funcionários."],
            ["Cliente pediu desconto para pagar o semestre adiantado."],
            ["Verificar pendências do escritório anterior antes de assumir: DCTFWeb e eSocial em dia?"],
            ["Contrato assinado. Carta de transferência enviada ao escritório anterior."],
            ["Preferiu ficar com o escritório atual depois de uma contraproposta."]),
        new(true, Companies, ["Planejamento tributário 2027"],
            "Revisão do regime tributário para 2027: Simples Nacional ou Lucro Presumido.",
            "Comercial", "Proposta", "Planejamento tributário", 3200, 4800,
            ["O faturamento cresceu 40% em 2026; {contato} quer saber se o Simples ainda compensa em 2027."],
            ["Proposta de planejamento tributário enviada: R$ {valor}, com simulação dos três regimes e reunião de apresentação."],
            ["{contato} pediu a reunião de apresentação para a primeira semana de janeiro."],
            ["A opção de regime é feita em janeiro; não deixar para a última semana."],
            ["Proposta aprovada. Simulação em andamento com os números de janeiro a novembro."],
            ["Cliente achou o investimento alto neste momento; retomar em março."]),
        new(true, People, ["Declaração de IRPF 2027"],
            "Declaração de imposto de renda 2027, ano-base 2026.",
            "Comercial", "Proposta", "Declaração de IRPF", 350, 650,
            ["{contato} quer garantir a declaração de 2027 com o escritório."],
            ["Proposta enviada: declaração completa por R$ {valor}, com a revisão do carnê-leão do ano."],
            ["{contato} perguntou se a declaração do cônjuge pode entrar no mesmo pacote."],
            ["Houve venda de imóvel em 2026: o ganho de capital é cobrado à parte."],
            ["Proposta aceita. Lista de documentos enviada para começarmos em março."],
            ["Vai fazer a declaração por conta própria este ano."]),
        new(true, Companies, ["Terceirização da folha — {n} funcionários"],
            "A empresa faz a folha internamente e quer terceirizar a partir de janeiro.",
            "Comercial", "Proposta", null, 480, 1900,
            ["A empresa faz a folha internamente e quer terceirizar a partir de janeiro."],
            ["Proposta enviada: R$ {valor} por mês para {n} funcionários, com eSocial e envio dos holerites."],
            ["Cliente pediu para incluir o controle de ponto eletrônico."],
            ["A convenção da categoria tem reajuste em janeiro; considerar no cálculo."],
            ["Proposta aprovada; a folha de janeiro já será feita pelo escritório."],
            ["Decidiu manter a folha interna por mais um ano."]),
        new(true, Meis, ["Desenquadramento do MEI"],
            "Passou do limite do MEI em 2026 e precisa migrar para microempresa no Simples Nacional.",
            "Comercial", "Proposta", null, 450, 900,
            ["Passou do limite do MEI e recebeu aviso da Receita."],
            ["Proposta enviada: R$ {valor} para o desenquadramento e a transição para ME no Simples, mais honorários mensais."],
            ["{contato} quer entender quanto vai pagar de imposto como ME."],
            ["Calcular o DAS complementar do excesso de faturamento antes da reunião."],
            ["Proposta aceita. Desenquadramento comunicado no Portal do Simples."],
            ["Vai reduzir o faturamento para continuar MEI."]),
    ];

    /// <summary>Internal notes that fit any ticket, for variety.</summary>
    public static readonly string[] Asides =
    [
        "Cliente prefere contato pelo WhatsApp, de manhã.",
        "Liguei às 10h; {contato} não atendeu. Deixei recado.",
        "Pediu para copiar o sócio nos e-mails.",
        "Conversado com a Ana: manter o prazo combinado.",
        "Cliente está com honorários de dois meses em aberto; não segurar o serviço, mas avisar o financeiro.",
    ];

    public static readonly string[] Reopening =
    [
        "{contato} apontou divergência no valor; reaberto para conferência.",
        "Cliente encontrou mais uma nota de {mes} que não tinha enviado; reaberto para retificar.",
    ];

    public static readonly string[] Canceling =
    [
        "Cancelado a pedido do cliente: resolveu direto com o fornecedor.",
        "Cancelado: o cliente vai encerrar as atividades e abriu outro pedido para a baixa.",
    ];

    public static readonly string[] EmployeeFirstNames =
    [
        "Adriana", "Bruna", "Caio", "Daniela", "Emerson", "Francisca", "Gabriel", "Igor", "Jéssica", "Kleber", "Lívia", "Natália", "Rogério",
        "Vinícius", "Sabrina", "Wellington", "Tainá", "Otávio",
    ];

    public static readonly string[] EmployeeLastNames =
    [
        "Lopes", "Castro", "Fernandes", "Rocha", "Silva", "Oliveira", "Souza", "Martins", "Alves", "Santos", "Moreira", "Ribeiro", "Pinto",
        "Araújo", "Batista", "Cunha",
    ];

    public static readonly string[] Businesses =
    [
        "uma hamburgueria", "uma clínica de estética", "um escritório de engenharia", "uma loja de roupas on-line", "uma empresa de software",
        "um restaurante por quilo",
    ];

    /// <summary>Conversations on the agenda: opportunity type, subject, description.</summary>
    public static readonly (string Type, string Subject, string Description)[] Conversations =
    [
        ("Venda", "Revisão do planejamento tributário 2027", "Apresentei a simulação do Simples e do Lucro Presumido. Pediram para refazer com a previsão de faturamento de 2027."),
        ("Venda", "Proposta de terceirização da folha", "Mostrei o pacote com eSocial e holerites on-line. Ficaram de decidir depois da reunião de sócios."),
        ("Venda", "Apresentação dos serviços para abertura de empresa", "Expliquei as etapas: viabilidade, Junta Comercial, CNPJ, inscrição municipal e alvará. Prazo médio de 20 dias."),
        ("Venda", "Proposta de BPO financeiro", "Interesse em terceirizar contas a pagar e a receber. Enviar proposta com dois níveis de serviço."),
        ("Cobrança", "Honorários em aberto", "Lembrei dos honorários vencidos; prometeram o pagamento até sexta e pediram a segunda via do boleto."),
        ("Cobrança", "Acordo para honorários atrasados", "Combinamos quitar o saldo em duas vezes. Enviar o termo do acordo por e-mail."),
        ("Reativação", "Retomar a contabilidade após período inativo", "Empresa ficou inativa oito meses e vai voltar a operar. Explicar a declaração de inatividade e os custos de retomada."),
        ("Pós-venda", "Reunião de resultados do trimestre", "Apresentado o DRE do trimestre: margem caiu por causa do aumento do aluguel. Sugeri revisar o pró-labore."),
        ("Pós-venda", "Acompanhamento do primeiro mês de contabilidade", "Tudo certo na transição; a equipe ainda tem dúvidas para mandar as notas de entrada."),
        ("Pós-venda", "Pesquisa de satisfação", "Nota 9. Elogiaram a rapidez no WhatsApp; pediram um resumo mensal mais curto."),
        ("Suporte", "Dúvidas sobre o eSocial", "Orientei sobre o envio dos afastamentos e o prazo dos eventos periódicos."),
        ("Suporte", "Orientação sobre emissão de NFS-e", "Não sabiam qual código de serviço usar. Expliquei e enviei o passo a passo do portal da prefeitura."),
        ("Suporte", "Documentos para o fechamento do ano", "Passei a lista: inventário de estoque em 31/12, extratos de dezembro e informes de aplicações."),
        ("Suporte", "Entrega do balancete", "Entreguei o balancete e expliquei as contas de maior variação."),
    ];

    /// <summary>The product the office resells with a company opening, bought from the certifier.</summary>
    public const string Certificate = "Certificado digital e-CNPJ A3 com token";

    /// <summary>The office's suppliers, as named in <see cref="Partners"/>: the accounting system, the certifier.</summary>
    public static readonly string[] Suppliers = ["Sistemas Contábeis Prisma Ltda", "Certificadora Digital Confiança Ltda"];

    /// <summary>Payment terms written on the proposals.</summary>
    public static readonly string[] QuoteNotes =
    [
        "Pagamento por boleto ou PIX, vencimento todo dia 10. Reajuste anual pelo IPCA.",
        "Honorários mensais sem taxa de adesão; início no mês seguinte à aprovação.",
        "Serviços avulsos: 50% na aprovação e 50% na entrega. Pagamento por PIX ou boleto.",
        "Valores válidos para pagamento à vista; parcelamos em até 3 vezes no boleto.",
    ];

    public const string NegotiatedNote = "Versão revisada após a reunião de negociação: 10% de desconto no primeiro item. Demais condições mantidas.";

    /// <summary>The line of a proposal whose story names no catalog item, by the start of its title.</summary>
    public static readonly (string TitleStart, string Description)[] FreeTextProposals =
    [
        ("Terceirização da folha", "Departamento pessoal terceirizado — folha, eSocial e encargos (mensal)"),
        ("Desenquadramento do MEI", "Desenquadramento do MEI e enquadramento no Simples Nacional"),
    ];

    public static readonly string[] Months = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];
}
