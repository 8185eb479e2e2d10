import Domain

/// The five kinds of county signal (专题研判制度: 热点问题和安全风险 as the
/// county's systems see them), each one inbound CloudEvent type on
/// `county.events` (`EventType.countySignals`).
enum SignalKind: String, Codable, Sendable, CaseIterable, Equatable {
    /// 12345 政务服务便民热线 complaint.
    case hotlineComplaint = "hotline-complaint"
    /// 信访.
    case petition
    /// 预收费资金监管 alert.
    case prepaidFundAlert = "prepaid-fund-alert"
    /// 安全事故 or 安全隐患.
    case safetyIncident = "safety-incident"
    /// 舆情.
    case publicOpinion = "public-opinion"

    var eventType: String {
        switch self {
        case .hotlineComplaint: EventType.hotlineComplaintReceived
        case .petition: EventType.petitionReceived
        case .prepaidFundAlert: EventType.prepaidFundAlertRaised
        case .safetyIncident: EventType.safetyIncidentReported
        case .publicOpinion: EventType.publicOpinionReported
        }
    }

    init?(eventType: String) {
        guard let kind = Self.allCases.first(where: { $0.eventType == eventType }) else { return nil }
        self = kind
    }

    /// As the office's documents name it.
    var chineseName: String {
        switch self {
        case .hotlineComplaint: "12345热线投诉"
        case .petition: "信访"
        case .prepaidFundAlert: "预收费资金监管预警"
        case .safetyIncident: "安全事故"
        case .publicOpinion: "舆情"
        }
    }
}

/// How serious the sending system judged the signal; the scoring rules
/// give each a factor.
enum SignalSeverity: String, Codable, Sendable, CaseIterable, Equatable {
    case low, medium, high, critical
}
