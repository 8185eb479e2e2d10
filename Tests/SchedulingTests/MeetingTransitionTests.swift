import Domain
import Foundation
import Testing

@testable import Scheduling

/// A sitting's life: revised (SEQUENCE up), answered, chased, held, minuted, cancelled.
@Suite struct MeetingTransitionTests {
    let later = MeetingSample.instant("2026-11-20T10:00:00")

    @Test func aChangeOfTimeOrPlaceRaisesTheSequenceAndANoOpDoesNot() throws {
        var meeting = MeetingSample.meeting()
        #expect(try meeting.revise(MeetingRevision(place: "县政府二楼会议室")))
        #expect(meeting.sequence == 1)
        #expect(try !meeting.revise(MeetingRevision(place: "县政府二楼会议室")))
        #expect(meeting.sequence == 1)
        try meeting.revise(MeetingRevision(startsAt: MeetingSample.instant("2026-12-11T09:00:00")))
        #expect(meeting.sequence == 2)
    }

    @Test func answersAreKeptPerUnitAndOnlyExpectedUnitsAnswer() throws {
        var meeting = MeetingSample.meeting()
        let answer = AttendanceAnswer(kind: .deputy, attendeeName: "赵敏", attendeeTitle: "副局长", reason: nil, by: "liaison", at: later)
        try meeting.answer(unitId: "market-bureau", answer)
        #expect(meeting.attendance[1].answer == answer)
        #expect(meeting.unansweredUnitIds == ["education-bureau"])
        #expect(throws: MeetingTransitionError.notExpected("tax-bureau")) {
            try meeting.answer(unitId: "tax-bureau", answer)
        }
    }

    @Test func aChaseIsRecordedOnlyForUnitsThatHaveNotAnswered() throws {
        var meeting = MeetingSample.meeting()
        try meeting.answer(unitId: "education-bureau", AttendanceAnswer(kind: .attends, attendeeName: "王强", by: "l", at: later))
        #expect(try meeting.chaseUnanswered(at: later) == ["market-bureau"])
        #expect(meeting.attendance[0].chasedAt.isEmpty)
        #expect(meeting.attendance[1].chasedAt == [later])
    }

    @Test func minutesFollowTheSittingAndArePublishedOnce() throws {
        var meeting = MeetingSample.meeting()
        let minutes = Minutes(
            number: "房双减纪〔2026〕1号", year: 2026, sequence: 1, summary: "会议研究了预收费监管工作。", decisions: [],
            publishedBy: "office", publishedAt: later)
        #expect(throws: MeetingTransitionError.notHeld(.scheduled)) { try meeting.publish(minutes) }
        try meeting.recordAttendance([
            "education-bureau": RecordedAttendance(present: true, attendeeName: "王强", note: nil, by: "office", at: later)
        ])
        #expect(meeting.status == .held)
        try meeting.publish(minutes)
        #expect(throws: MeetingTransitionError.minutesAlreadyPublished("房双减纪〔2026〕1号")) { try meeting.publish(minutes) }
        #expect(throws: MeetingTransitionError.minutesAlreadyPublished("房双减纪〔2026〕1号")) {
            try meeting.recordAttendance([:])
        }
    }

    @Test func aCancelledSittingTakesNoMoreAnswersAndRaisesTheSequence() throws {
        var meeting = MeetingSample.meeting()
        try meeting.cancel(by: "office", at: later, reason: "与县委常委会时间冲突")
        #expect(meeting.status == .cancelled)
        #expect(meeting.sequence == 1)
        #expect(throws: MeetingTransitionError.notScheduled(.cancelled)) {
            try meeting.answer(unitId: "market-bureau", AttendanceAnswer(kind: .attends, by: "l", at: later))
        }
    }

    @Test func anAdHocRequestIsDecidedOnce() throws {
        var request = AdHocRequest(
            id: UUID(), kind: .liaison, reason: "研究暑期校外培训治理", proposedStartsAt: later, proposedEndsAt: later,
            place: "县教育局", agenda: ["暑期治理"], status: .pending, requested: .init(by: "office", at: later),
            decided: nil, meetingId: nil, version: 1, updatedAt: later)
        try request.decide(approved: false, by: "convener-1", at: later, reason: "并入下次例会研究")
        #expect(request.status == .refused)
        #expect(request.decided == AdHocDecision(approved: false, by: "convener-1", at: later, reason: "并入下次例会研究"))
        #expect(throws: AdHocTransitionError.alreadyDecided(.refused)) {
            try request.decide(approved: true, by: "convener-2", at: later, reason: nil)
        }
    }
}
