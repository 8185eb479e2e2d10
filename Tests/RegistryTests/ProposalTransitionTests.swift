import Foundation
import Testing

@testable import Registry

/// proposed → studied → approved / rejected, and every way it may not go.
@Suite struct ProposalTransitionTests {
    static let proposedAt = Date(timeIntervalSince1970: 1_750_000_000)
    static let studiedAt = proposedAt.addingTimeInterval(86_400 * 30)
    static let decidedAt = studiedAt.addingTimeInterval(86_400 * 10)

    static func proposal() -> MembershipProposal {
        MembershipProposal(
            id: UUID(), unitName: "县体育局", proposedUnitId: "sports-bureau",
            duties: [ProposedDuty(text: "配合审批部门做好体育类培训机构审批工作", topics: [.approval])],
            reason: "体育类培训机构增多", status: .proposed,
            proposed: .init(by: "office", at: proposedAt), studied: nil, decided: nil, admittedUnitId: nil, version: 1, updatedAt: proposedAt)
    }

    static func studied() throws -> MembershipProposal {
        try proposal().studying(by: "convener", at: studiedAt, meetingReference: "2025年第2次全体会议纪要", recommended: true)
    }

    static func inStatus(_ status: ProposalStatus) throws -> MembershipProposal {
        switch status {
        case .proposed: return proposal()
        case .studied: return try studied()
        case .approved:
            return try studied().deciding(by: "county", at: decidedAt, approved: true, approvalDocument: "房政函〔2025〕12号")
        case .rejected:
            return try proposal().studying(by: "convener", at: studiedAt, meetingReference: "纪要", recommended: false)
        }
    }

    // MARK: Allowed

    @Test func studyRecommendedMovesToStudied() throws {
        var proposal = Self.proposal()
        try proposal.study(
            by: " convener ", at: Self.studiedAt, meetingReference: " 2025年第2次全体会议纪要 ", recommended: true, note: "  ")
        #expect(proposal.status == .studied)
        #expect(proposal.studied == .init(
            by: "convener", at: Self.studiedAt, meetingReference: "2025年第2次全体会议纪要", recommended: true, note: nil))
        #expect(proposal.decided == nil)
        #expect(proposal.version == 1, "the store bumps the version")
        #expect(proposal.allowedActions == [.decide])
    }

    @Test func studyNotRecommendedRejects() throws {
        let proposal = try Self.proposal().studying(
            by: "convener", at: Self.studiedAt, meetingReference: "纪要", recommended: false, note: "职责已由县文旅局承担")
        #expect(proposal.status == .rejected)
        #expect(proposal.studied?.recommended == false)
        #expect(proposal.studied?.note == "职责已由县文旅局承担")
        #expect(proposal.decided == nil)
        #expect(proposal.allowedActions == [])
        #expect(proposal.status.isFinal)
    }

    @Test func approvalRecordsTheDocument() throws {
        var proposal = try Self.studied()
        try proposal.decide(by: "county", at: Self.decidedAt, approved: true, approvalDocument: " 房政函〔2025〕12号 ")
        #expect(proposal.status == .approved)
        #expect(proposal.decided == .init(
            by: "county", at: Self.decidedAt, approved: true, approvalDocument: "房政函〔2025〕12号", reason: nil))
        #expect(proposal.allowedActions == [])
    }

    @Test func rejectionRecordsTheReason() throws {
        let proposal = try Self.studied().deciding(
            by: "county", at: Self.decidedAt, approved: false, approvalDocument: "ignored", reason: "暂不增加")
        #expect(proposal.status == .rejected)
        #expect(proposal.decided == .init(by: "county", at: Self.decidedAt, approved: false, approvalDocument: nil, reason: "暂不增加"))
    }

    @Test func allowedActionsPerStatus() throws {
        #expect(try Self.inStatus(.proposed).allowedActions == [.study])
        #expect(try Self.inStatus(.studied).allowedActions == [.decide])
        #expect(try Self.inStatus(.approved).allowedActions == [])
        #expect(try Self.inStatus(.rejected).allowedActions == [])
    }

    // MARK: Not allowed

    @Test(arguments: [ProposalStatus.studied, .approved, .rejected])
    func studyIsAllowedOnlyFromProposed(_ status: ProposalStatus) throws {
        var proposal = try Self.inStatus(status)
        let before = proposal
        let error = #expect(throws: ProposalTransitionError.self) {
            try proposal.study(by: "convener", at: Self.decidedAt, meetingReference: "纪要", recommended: true)
        }
        #expect(error == .notAllowed(action: .study, status: status, allowedNow: proposal.allowedActions))
        #expect(error?.description.hasPrefix(
            "cannot study a proposal that is \(status.rawValue) (study is allowed only from proposed); ") == true)
        #expect(proposal == before, "a refused transition leaves the proposal as it was")
    }

    @Test(arguments: [ProposalStatus.proposed, .approved, .rejected])
    func decideIsAllowedOnlyFromStudied(_ status: ProposalStatus) throws {
        var proposal = try Self.inStatus(status)
        let before = proposal
        for approved in [true, false] {
            let error = #expect(throws: ProposalTransitionError.self) {
                try proposal.decide(
                    by: "county", at: Self.decidedAt.addingTimeInterval(60), approved: approved,
                    approvalDocument: "房政函〔2025〕12号", reason: "理由")
            }
            #expect(error == .notAllowed(action: .decide, status: status, allowedNow: proposal.allowedActions))
        }
        #expect(proposal == before)
    }

    @Test func refusalMessagesSayWhatIsAllowedNow() throws {
        let fromProposed = ProposalTransitionError.notAllowed(action: .decide, status: .proposed, allowedNow: [.study])
        #expect(fromProposed.description
            == "cannot decide a proposal that is proposed (decide is allowed only from studied); allowed now: study")
        let final = ProposalTransitionError.notAllowed(action: .study, status: .approved, allowedNow: [])
        #expect(final.description
            == "cannot study a proposal that is approved (study is allowed only from proposed); it is final: no action is allowed")
    }

    @Test(arguments: [nil, "", "   "] as [String?])
    func approvalNeedsADocumentNumber(_ document: String?) throws {
        let proposal = try Self.studied()
        #expect(throws: ProposalTransitionError.missingApprovalDocument) {
            try proposal.deciding(by: "county", at: Self.decidedAt, approved: true, approvalDocument: document)
        }
    }

    @Test(arguments: [nil, "", " \n "] as [String?])
    func rejectionNeedsAReason(_ reason: String?) throws {
        let proposal = try Self.studied()
        #expect(throws: ProposalTransitionError.missingReason) {
            try proposal.deciding(by: "county", at: Self.decidedAt, approved: false, reason: reason)
        }
        #expect(ProposalTransitionError.missingReason.description == "a rejection needs a reason")
    }

    @Test func stepsNeedAnActorAndAMeeting() throws {
        #expect(throws: ProposalTransitionError.missingActor) {
            try Self.proposal().studying(by: " ", at: Self.studiedAt, meetingReference: "纪要", recommended: true)
        }
        #expect(throws: ProposalTransitionError.missingMeetingReference) {
            try Self.proposal().studying(by: "convener", at: Self.studiedAt, meetingReference: "", recommended: true)
        }
        #expect(throws: ProposalTransitionError.missingActor) {
            try Self.studied().deciding(by: "", at: Self.decidedAt, approved: true, approvalDocument: "房政函〔2025〕12号")
        }
    }

    @Test func stepsCannotPrecedeThePreviousStep() throws {
        let early = Self.proposedAt.addingTimeInterval(-1)
        #expect(throws: ProposalTransitionError.beforePreviousStep(action: .study, previous: Self.proposedAt, at: early)) {
            try Self.proposal().studying(by: "convener", at: early, meetingReference: "纪要", recommended: true)
        }
        let beforeStudy = Self.studiedAt.addingTimeInterval(-60)
        let error = #expect(throws: ProposalTransitionError.self) {
            try Self.studied().deciding(by: "county", at: beforeStudy, approved: true, approvalDocument: "房政函〔2025〕12号")
        }
        #expect(error == .beforePreviousStep(action: .decide, previous: Self.studiedAt, at: beforeStudy))
        #expect(error?.description.contains("before the previous step") == true)
        // The same instant is fine.
        #expect(throws: Never.self) {
            try Self.studied().deciding(by: "county", at: Self.studiedAt, approved: true, approvalDocument: "房政函〔2025〕12号")
        }
    }

    @Test func actionsDeclareTheirStartingStatus() {
        #expect(ProposalAction.study.allowedFrom == [.proposed])
        #expect(ProposalAction.decide.allowedFrom == [.studied])
        #expect(!ProposalStatus.proposed.isFinal && !ProposalStatus.studied.isFinal)
    }
}
