import Foundation

/// Admitting a new member unit, as the notice puts it: "根据工作需要,若需增加
/// 成员单位,需经协调机制研究后报县政府批准" — studied by the mechanism, then
/// approved by the county government.
///
///     proposed ──study(recommended: true)──▶ studied ──decide(approved: true)──▶ approved
///        │                                      │
///        └──study(recommended: false)──▶ rejected ◀──decide(approved: false)──┘
///
/// Pure: `study` and `decide` change the value in place (status and step
/// record) or throw and leave it untouched; `studying` and `deciding` return
/// the changed copy. Nothing is written, and `version` is left to the store.
/// `approved` and `rejected` are final.
extension MembershipProposal {
    /// Records the mechanism's study (研究) of a `proposed` proposal. Not
    /// recommended ends it (`rejected`); recommended moves it to `studied`,
    /// where the county government decides.
    mutating func study(
        by actor: String, at time: Date, meetingReference: String, recommended: Bool, note: String? = nil
    ) throws(ProposalTransitionError) {
        self = try studying(
            by: actor, at: time, meetingReference: meetingReference, recommended: recommended, note: note)
    }

    /// Records the county government's decision on a `studied` proposal.
    /// Approval needs the approval document's number; rejection needs a reason.
    /// (Creating the unit and setting `admittedUnitId` is the caller's step.)
    mutating func decide(
        by actor: String, at time: Date, approved: Bool, approvalDocument: String? = nil, reason: String? = nil
    ) throws(ProposalTransitionError) {
        self = try deciding(
            by: actor, at: time, approved: approved, approvalDocument: approvalDocument, reason: reason)
    }

    /// `study`, returning the studied copy.
    func studying(
        by actor: String, at time: Date, meetingReference: String, recommended: Bool, note: String? = nil
    ) throws(ProposalTransitionError) -> MembershipProposal {
        try require(.study)
        let actor = try Self.nonEmpty(actor, or: .missingActor)
        let meeting = try Self.nonEmpty(meetingReference, or: .missingMeetingReference)
        if time < proposed.at { throw .beforePreviousStep(action: .study, previous: proposed.at, at: time) }
        var next = self
        next.studied = StudyStep(
            by: actor, at: time, meetingReference: meeting, recommended: recommended, note: Self.trimmed(note))
        next.status = recommended ? .studied : .rejected
        return next
    }

    /// `decide`, returning the decided copy.
    func deciding(
        by actor: String, at time: Date, approved: Bool, approvalDocument: String? = nil, reason: String? = nil
    ) throws(ProposalTransitionError) -> MembershipProposal {
        try require(.decide)
        let actor = try Self.nonEmpty(actor, or: .missingActor)
        let document = Self.trimmed(approvalDocument)
        let reason = Self.trimmed(reason)
        if approved, document == nil { throw .missingApprovalDocument }
        if !approved, reason == nil { throw .missingReason }
        if let studied, time < studied.at {
            throw .beforePreviousStep(action: .decide, previous: studied.at, at: time)
        }
        var next = self
        next.decided = DecisionStep(
            by: actor, at: time, approved: approved, approvalDocument: approved ? document : nil, reason: reason)
        next.status = approved ? .approved : .rejected
        return next
    }

    /// The actions the proposal's status allows (none once final).
    var allowedActions: [ProposalAction] { ProposalAction.allowed(from: status) }

    private func require(_ action: ProposalAction) throws(ProposalTransitionError) {
        guard action.allowedFrom.contains(status) else {
            throw .notAllowed(action: action, status: status, allowedNow: allowedActions)
        }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    private static func nonEmpty(_ text: String, or error: ProposalTransitionError) throws(ProposalTransitionError)
        -> String
    {
        guard let text = trimmed(text) else { throw error }
        return text
    }
}

enum ProposalAction: String, Codable, Sendable, CaseIterable, Equatable {
    case study, decide

    /// The statuses the action may start from.
    var allowedFrom: [ProposalStatus] {
        switch self {
        case .study: [.proposed]
        case .decide: [.studied]
        }
    }

    static func allowed(from status: ProposalStatus) -> [ProposalAction] {
        allCases.filter { $0.allowedFrom.contains(status) }
    }
}

extension ProposalStatus {
    /// `approved` and `rejected` end a proposal.
    var isFinal: Bool { self == .approved || self == .rejected }
}

enum ProposalTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The action does not start from the proposal's status.
    case notAllowed(action: ProposalAction, status: ProposalStatus, allowedNow: [ProposalAction])
    case missingActor
    case missingMeetingReference
    /// Approval without the county government's approval document number.
    case missingApprovalDocument
    /// Rejection by the county government without a reason.
    case missingReason
    /// The step is dated before the step it follows.
    case beforePreviousStep(action: ProposalAction, previous: Date, at: Date)

    var description: String {
        switch self {
        case .notAllowed(let action, let status, let allowedNow):
            let from = action.allowedFrom.map(\.rawValue).joined(separator: " or ")
            let now =
                allowedNow.isEmpty
                ? "it is final: no action is allowed"
                : "allowed now: \(allowedNow.map(\.rawValue).joined(separator: ", "))"
            return "cannot \(action.rawValue) a proposal that is \(status.rawValue) "
                + "(\(action.rawValue) is allowed only from \(from)); \(now)"
        case .missingActor:
            return "the step needs who took it (by must not be empty)"
        case .missingMeetingReference:
            return "a study needs the reference of the mechanism meeting that studied the proposal"
        case .missingApprovalDocument:
            return "an approval needs the county government's approval document number"
        case .missingReason:
            return "a rejection needs a reason"
        case .beforePreviousStep(let action, let previous, let at):
            return "cannot \(action.rawValue) at \(Self.iso(at)), before the previous step (\(Self.iso(previous)))"
        }
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
