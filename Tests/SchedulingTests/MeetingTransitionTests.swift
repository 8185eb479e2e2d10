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
        let afterTheSitting = MeetingSample.instant("2026-12-10T11:40:00")
        try meeting.recordAttendance([
            "education-bureau": RecordedAttendance(present: true, attendeeName: "王强", note: nil, by: "office", at: afterTheSitting)
        ], at: afterTheSitting)
        #expect(meeting.status == .held)
        try meeting.publish(minutes)
        #expect(throws: MeetingTransitionError.minutesAlreadyPublished("房双减纪〔2026〕1号")) { try meeting.publish(minutes) }
        #expect(throws: MeetingTransitionError.minutesAlreadyPublished("房双减纪〔2026〕1号")) {
            try meeting.recordAttendance([:], at: afterTheSitting)
        }
    }

    @Test func attendanceIsRecordedOnlyOnceTheSittingHasStarted() throws {
        // The sitting starts 2026-12-10 09:00 China time.
        func record(_ meeting: inout Meeting, at text: String) throws(MeetingTransitionError) {
            let time = MeetingSample.instant(text)
            try meeting.recordAttendance([
                "education-bureau": RecordedAttendance(present: true, attendeeName: "王强", note: nil, by: "office", at: time)
            ], at: time)
        }
        var before = MeetingSample.meeting()
        #expect(throws: MeetingTransitionError.notStarted(startsAt: before.startsAt)) {
            try record(&before, at: "2026-12-10T08:59:59")
        }
        #expect(before == MeetingSample.meeting())   // nothing recorded, still scheduled
        #expect(MeetingTransitionError.notStarted(startsAt: before.startsAt).field == "startsAt")
        #expect("\(MeetingTransitionError.notStarted(startsAt: before.startsAt))".contains("2026-12-10T09:00:00+08:00"))
        #expect(throws: MeetingTransitionError.notHeld(.scheduled)) {
            try before.publish(Minutes(
                number: "房双减纪〔2026〕1号", year: 2026, sequence: 1, summary: "纪要", decisions: [], publishedBy: "office",
                publishedAt: MeetingSample.instant("2026-12-10T08:59:59")))
        }

        var atTheStart = MeetingSample.meeting()
        try record(&atTheStart, at: "2026-12-10T09:00:00")
        #expect(atTheStart.status == .held)
        #expect(atTheStart.attendance[0].recorded?.present == true)

        var after = MeetingSample.meeting()
        try record(&after, at: "2026-12-11T10:00:00")   // recorded the next day, from the sign-in sheet
        #expect(after.status == .held)
    }

    @Test func aCancelledOrHeldSittingIsNotRescheduled() throws {
        // A cancelled sitting stays refused, before or after its start.
        var cancelled = MeetingSample.meeting()
        try cancelled.cancel(by: "office", at: later, reason: "与县委常委会时间冲突")
        #expect(throws: MeetingTransitionError.notScheduled(.cancelled)) {
            try cancelled.recordAttendance([:], at: MeetingSample.instant("2026-12-10T10:00:00"))
        }
        #expect(throws: MeetingTransitionError.notScheduled(.cancelled)) {
            try cancelled.recordAttendance([:], at: later)
        }
        // A held sitting keeps the start it was held at: moving it later would
        // make it a sitting held before it started.
        var held = MeetingSample.meeting()
        let afterTheSitting = MeetingSample.instant("2026-12-10T11:40:00")
        try held.recordAttendance([
            "market-bureau": RecordedAttendance(present: false, attendeeName: nil, note: "未请假", by: "office", at: afterTheSitting)
        ], at: afterTheSitting)
        #expect(throws: MeetingTransitionError.notScheduled(.held)) {
            try held.revise(MeetingRevision(startsAt: MeetingSample.instant("2026-12-17T09:00:00")))
        }
        #expect(held.startsAt == MeetingSample.instant("2026-12-10T09:00:00"))
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
