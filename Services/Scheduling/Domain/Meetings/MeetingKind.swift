import Domain

/// The two kinds of sitting of 三(一) 会议决策制度.
enum MeetingKind: String, Codable, Sendable, CaseIterable {
    /// 协调机制全体会议: the conveners and every unit's member; chaired by a
    /// convener or a person the convener delegates (由召集人主持或委托相关同志主持).
    case plenary
    /// 联络员例会: every unit's liaison, organised by the office.
    case liaison

    /// The name the county reads.
    var title: String {
        switch self {
        case .plenary: "协调机制全体会议"
        case .liaison: "联络员例会"
        }
    }

    /// 原则上每半年召开一次全体会议 / 原则上每两个月召开一次联络员例会.
    var cadenceMonths: Int {
        switch self {
        case .plenary: 6
        case .liaison: 2
        }
    }

    /// The notice's words for the cadence (三(一) 会议决策制度).
    var cadenceRule: String {
        switch self {
        case .plenary: "原则上每半年召开一次协调机制全体会议"
        case .liaison: "原则上每两个月召开一次联络员例会"
        }
    }

    /// Who of each expected unit is asked to attend.
    var expectedPost: UnitPost {
        switch self {
        case .plenary: .member
        case .liaison: .liaison
        }
    }
}

/// The post a unit sends to a sitting: its member (成员) or its liaison (联络员).
enum UnitPost: String, Codable, Sendable {
    case member, liaison
}

/// How a sitting came to be.
enum MeetingOrigin: String, Codable, Sendable {
    /// An occurrence of the kind's series.
    case series
    /// 必要时可由召集人临时主持召开全体会议: called by a convener directly.
    case adHocByConvener = "ad-hoc-by-convener"
    /// 必要时经召集人同意，可临时召开例会: an approved ad hoc request.
    case adHocApproved = "ad-hoc-approved"
}
