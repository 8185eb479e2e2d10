import Domain
import Foundation

/// A 督办函 or 协调函 (通知 三(四): 协调机制办公室发出督办函或协调函, 各成员单位
/// 要按规定期限将相关办理情况报协调机制办公室). One letter, one number, one or
/// more addressed units; each unit answers on its own track (签收, 办理情况,
/// accepted or returned), so a 协调函 to three units closes when all three
/// reports are accepted.
struct Letter: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var kind: LetterKind
    var status: LetterStatus
    /// Given at issue, e.g. 房双减督〔2026〕3号; nil while a draft.
    var number: String?
    /// The numbering year and the place in it (gapless per kind and year).
    var numberYear: Int?
    var numberSequence: Int?
    var subject: String
    /// The letter's text as the units read it.
    var body: String
    var cause: LetterCause
    /// Working days the units have to report, counted from the day of issue.
    var replyWorkingDays: Int
    var addressees: [LetterAddressee]
    /// Who prepared it: the office, the overdue-task timer, or an escalation.
    var origin: LetterOrigin
    var drafted: LetterStep
    var issued: LetterStep?
    var cancelled: LetterCancellation?
    var closedAt: Date?
    var version: Int
    var updatedAt: Date

    func addressee(_ unitId: String) -> LetterAddressee? {
        addressees.first { $0.unitId == unitId }
    }
}

enum LetterStatus: String, Codable, Sendable, CaseIterable, Equatable {
    /// Prepared, not yet sent; may be edited, issued or cancelled.
    case draft
    /// Numbered and sent; the units' tracks are open.
    case issued
    /// Every unit's report was accepted.
    case closed
    /// A draft the office decided not to send.
    case cancelled
}

/// Why a letter exists: the task, decision or duty it is about, or the
/// office's own words. `text` always says it in words the units read.
struct LetterCause: Codable, Sendable, Equatable {
    var kind: LetterCauseKind
    /// The task or decision id, the duty id (`education-bureau/3`) or the
    /// earlier letter's id; nil for free text.
    var reference: String?
    var text: String
}

enum LetterCauseKind: String, Codable, Sendable, CaseIterable, Equatable {
    case task, decision, duty, letter, text
}

enum LetterOrigin: String, Codable, Sendable, Equatable {
    /// Written by the office.
    case office
    /// Prepared automatically when a task became overdue.
    case taskOverdue = "task-overdue"
    /// 再次督办: issued automatically when a unit's reply to an earlier letter was overdue.
    case escalation
}

struct LetterStep: Codable, Sendable, Equatable {
    var by: String
    var at: Date
}

struct LetterCancellation: Codable, Sendable, Equatable {
    var by: String
    var at: Date
    var reason: String
}

/// One addressed unit's track.
struct LetterAddressee: Codable, Sendable, Equatable {
    var unitId: String
    var status: AddresseeStatus
    /// The date the report is due (the end of that working day, China time).
    var replyDue: LocalDate?
    /// Whether `replyDue` rests on a provisional holiday year (shown as 暂定).
    var replyDueProvisional: Bool
    /// The `letter.issued` event sent for this unit: the notification
    /// service's acknowledgement names it, which is how 签收 is learned.
    var issuedEventId: UUID?
    var received: LetterReceipt?
    var reports: [LetterReport]
    var returns: [LetterReturn]
    var accepted: LetterStep?
    /// The reply-due-soon reminder went out.
    var remindedAt: Date?
    /// The reply was overdue and a 再次督办 letter went out.
    var escalation: LetterEscalation?
}

enum AddresseeStatus: String, Codable, Sendable, CaseIterable, Equatable {
    /// Not issued yet (the letter is a draft).
    case pending
    /// Issued, not yet signed for.
    case issued
    /// 签收.
    case received
    /// 办理情况 submitted, awaiting the office.
    case reported
    /// The office returned the report; a new one is due by the new date.
    case returned
    /// The office accepted the report: this unit's track is closed.
    case accepted

    /// The unit still owes a report.
    var awaitsReport: Bool { self == .issued || self == .received || self == .returned }
}

extension LetterAddressee {
    /// A unit addressed by a draft: nothing has happened on its track yet.
    static func pending(_ unitId: String) -> LetterAddressee {
        LetterAddressee(
            unitId: unitId, status: .pending, replyDue: nil, replyDueProvisional: false, issuedEventId: nil, received: nil,
            reports: [], returns: [], accepted: nil, remindedAt: nil, escalation: nil)
    }
}

struct LetterReceipt: Codable, Sendable, Equatable {
    var at: Date
    var by: String
    /// How it was learned.
    var via: ReceiptSource
}

enum ReceiptSource: String, Codable, Sendable, Equatable {
    /// The liaison acknowledged the notification (notification.acknowledged).
    case notification
    /// The unit recorded it through this service.
    case unit
    /// Implied by the unit's report.
    case report
}

/// 办理情况: the unit's report, text and attachments.
struct LetterReport: Codable, Sendable, Equatable {
    var id: UUID
    var text: String
    var attachments: [AttachmentReference]
    var by: String
    var at: Date
    /// Submitted by the end of the due date in force when it came.
    var onTime: Bool
}

/// An attachment's facts; its bytes are in the `letter_attachments` table.
struct AttachmentReference: Codable, Sendable, Equatable {
    var id: UUID
    var fileName: String
    var mediaType: String
    var size: Int
    var sha256: String
}

struct LetterReturn: Codable, Sendable, Equatable {
    var by: String
    var at: Date
    var reason: String
    var previousDue: LocalDate?
    var newDue: LocalDate
}

struct LetterEscalation: Codable, Sendable, Equatable {
    var at: Date
    /// The 再次督办 letter.
    var letterId: UUID
}
