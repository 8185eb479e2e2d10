/// Every event type of the system, written once (DESIGN.md §3:
/// `cn.gov.fangxian.shuangjian.<context>.<entity>.<past-verb>.v<N>`), each
/// with the topic it travels on. Publishers and consumers name types from
/// here; each consumer keeps its own payload types (a tolerant reader of
/// the fields it needs), so only the names are shared.
public enum EventType {
    static let prefix = "cn.gov.fangxian.shuangjian."

    // MARK: registry — shuangjian.registry.units | people | institutions

    public static let unitAdmitted = prefix + "registry.unit.admitted.v1"
    public static let unitUpdated = prefix + "registry.unit.updated.v1"
    public static let liaisonChanged = prefix + "registry.liaison.changed.v1"
    public static let proposalSubmitted = prefix + "registry.proposal.submitted.v1"
    public static let proposalStudied = prefix + "registry.proposal.studied.v1"
    public static let proposalDecided = prefix + "registry.proposal.decided.v1"
    public static let personCreated = prefix + "registry.person.created.v1"
    public static let personChanged = prefix + "registry.person.changed.v1"
    public static let institutionRegistered = prefix + "registry.institution.registered.v1"
    public static let institutionStatusChanged = prefix + "registry.institution.status-changed.v1"
    public static let institutionUpdated = prefix + "registry.institution.updated.v1"

    // MARK: scheduling — shuangjian.scheduling.meetings (会议决策制度)

    /// A sitting was scheduled: the meeting notice (会议通知) to every expected unit.
    public static let meetingScheduled = prefix + "scheduling.meeting.scheduled.v1"
    /// A scheduled sitting's time, place, chair or agenda changed (iCalendar SEQUENCE raised).
    public static let meetingRevised = prefix + "scheduling.meeting.revised.v1"
    public static let meetingCancelled = prefix + "scheduling.meeting.cancelled.v1"
    /// A unit answered the notice (attends / a named deputy / absent with a reason).
    public static let meetingAnswered = prefix + "scheduling.meeting.answered.v1"
    /// Units that had not answered were chased (催报); `chasedUnitIds` names them.
    public static let meetingChased = prefix + "scheduling.meeting.chased.v1"
    /// Attendance was recorded at the sitting: it was held.
    public static let meetingHeld = prefix + "scheduling.meeting.held.v1"
    /// 会议纪要 published with its number and decisions (决定事项).
    public static let minutesPublished = prefix + "scheduling.meeting.minutes-published.v1"
    /// The office asked for an ad hoc liaison meeting; a convener must consent.
    public static let adHocRequested = prefix + "scheduling.ad-hoc-request.submitted.v1"
    /// A convener approved or refused an ad hoc request.
    public static let adHocDecided = prefix + "scheduling.ad-hoc-request.decided.v1"
    /// The office set a kind's series (RRULE, place, length).
    public static let meetingSeriesSet = prefix + "scheduling.meeting-series.set.v1"
    /// A kind's cadence is about to be missed, or was (the cadence watch).
    public static let meetingCadenceAlerted = prefix + "scheduling.meeting-cadence.alerted.v1"

    /// Every type on the meetings topic.
    public static let meetingTypes: [String] = [
        meetingScheduled, meetingRevised, meetingCancelled, meetingAnswered, meetingChased, meetingHeld,
        minutesPublished, adHocRequested, adHocDecided, meetingSeriesSet, meetingCadenceAlerted,
    ]

    // MARK: scheduling — shuangjian.scheduling.tasks (each carries the task's whole state)

    /// A task was given to its lead unit (by the office, a decision, a letter, a unit's admission).
    public static let taskAssigned = prefix + "scheduling.task.assigned.v1"
    /// The lead unit took the task on.
    public static let taskAccepted = prefix + "scheduling.task.accepted.v1"
    /// A unit reported progress.
    public static let taskProgressReported = prefix + "scheduling.task.progress-reported.v1"
    /// The lead unit reported the task done; the office reviews it.
    public static let taskCompletionReported = prefix + "scheduling.task.completion-reported.v1"
    /// The office accepted the completion report.
    public static let taskCompleted = prefix + "scheduling.task.completed.v1"
    /// The office returned the completion report with a reason and a new due date.
    public static let taskReturned = prefix + "scheduling.task.returned.v1"
    /// A reminder: the task is due in N working days.
    public static let taskDueSoon = prefix + "scheduling.task.due-soon.v1"
    /// The due working day ended with the task not done.
    public static let taskOverdue = prefix + "scheduling.task.overdue.v1"

    // MARK: scheduling — shuangjian.scheduling.letters

    /// 督办函 / 协调函 issued to a unit (payload agreed with the notification service):
    /// one event per addressed unit, `letter.unitId` naming it.
    public static let letterIssued = prefix + "scheduling.letter.issued.v1"
    /// A draft prepared (by the office, or automatically for an overdue task).
    public static let letterDrafted = prefix + "scheduling.letter.drafted.v1"
    /// A draft the office decided not to send.
    public static let letterCancelled = prefix + "scheduling.letter.cancelled.v1"
    /// 签收 by a unit (learned from the notification service, or recorded by the unit).
    public static let letterReceived = prefix + "scheduling.letter.received.v1"
    /// A unit's 办理情况 came in.
    public static let letterReported = prefix + "scheduling.letter.reported.v1"
    /// The office accepted a unit's report (the letter closes when every unit's is).
    public static let letterAccepted = prefix + "scheduling.letter.accepted.v1"
    /// The office returned a unit's report with a reason and a new due date.
    public static let letterReturned = prefix + "scheduling.letter.returned.v1"
    /// A unit's report is due within the configured working days.
    public static let letterReplyDueSoon = prefix + "scheduling.letter.reply-due-soon.v1"
    /// A unit's reply was overdue: a 再次督办 letter went out (`escalationLetterId`).
    public static let letterEscalated = prefix + "scheduling.letter.escalated.v1"

    /// Every letter type, on `shuangjian.scheduling.letters`.
    public static let letters: [String] = [
        letterIssued, letterDrafted, letterCancelled, letterReceived, letterReported, letterAccepted,
        letterReturned, letterReplyDueSoon, letterEscalated,
    ]

    // MARK: county systems — county.events (inbound; published by the county's systems, read by inspection)

    /// A 12345 hotline complaint (12345 政务服务便民热线).
    public static let hotlineComplaintReceived = prefix + "county.hotline-complaint.received.v1"
    /// A petition (信访) registered by the county's petition system.
    public static let petitionReceived = prefix + "county.petition.received.v1"
    /// An alert of the prepaid-fund supervision platform (预收费资金监管).
    public static let prepaidFundAlertRaised = prefix + "county.prepaid-fund-alert.raised.v1"
    /// A safety incident (安全事故/隐患) reported by a county system.
    public static let safetyIncidentReported = prefix + "county.safety-incident.reported.v1"
    /// A public-opinion report (舆情) from the county's monitoring.
    public static let publicOpinionReported = prefix + "county.public-opinion.reported.v1"

    /// Every inbound county signal type (`county.events`).
    public static let countySignals: [String] = [
        hotlineComplaintReceived, petitionReceived, prepaidFundAlertRaised, safetyIncidentReported,
        publicOpinionReported,
    ]

    // MARK: inspection — shuangjian.inspection.warnings

    /// A subject's score crossed a threshold: a new warning (预警).
    public static let warningRaised = prefix + "inspection.warning.raised.v1"
    /// A later signal took an open warning's score over a higher threshold.
    public static let warningEscalated = prefix + "inspection.warning.escalated.v1"
    /// The office confirmed a warning (研判确认).
    public static let warningConfirmed = prefix + "inspection.warning.confirmed.v1"
    /// The office changed a warning's level, with a reason.
    public static let warningLevelChanged = prefix + "inspection.warning.level-changed.v1"
    /// The office circulated (通报) a warning to the member units.
    public static let warningCirculated = prefix + "inspection.warning.circulated.v1"
    /// The office closed a warning (处置完毕).
    public static let warningClosed = prefix + "inspection.warning.closed.v1"
    /// A red warning asks the conveners for a 专题研判 session (scheduling's ad hoc meeting request).
    public static let specialStudyRequested = prefix + "inspection.special-study.requested.v1"

    // MARK: inspection — shuangjian.inspection.inspections

    /// The office opened a joint inspection campaign (联合指导检查 / 专项检查).
    public static let campaignOpened = prefix + "inspection.campaign.opened.v1"
    /// A joint working group (联合工作组) was formed in a campaign.
    public static let campaignGroupFormed = prefix + "inspection.campaign.group-formed.v1"
    /// A random draw (双随机) assigned units and inspectors; carries the draw record (seed, algorithm, result).
    public static let campaignDrawRecorded = prefix + "inspection.campaign.draw-recorded.v1"
    /// An inspected unit and its inspectors were assigned to a group (by hand or by a draw).
    public static let inspectionAssigned = prefix + "inspection.inspection.assigned.v1"
    /// The office circulated the campaign's report (通报) to every member unit; the campaign is closed.
    public static let campaignReportCirculated = prefix + "inspection.campaign.report-circulated.v1"
    /// An inspection's checklist changed: an inspector recorded an item, or the office added one.
    public static let inspectionChecklistChanged = prefix + "inspection.inspection.checklist-changed.v1"
    /// The inspectors submitted an inspection's results: every item recorded, the score computed.
    public static let inspectionSubmitted = prefix + "inspection.inspection.submitted.v1"

    /// A joint inspection found a unit (or an institution) short of an item;
    /// with a rectification round the scheduling service makes a task of it.
    public static let findingRaised = prefix + "inspection.finding.raised.v1"
    /// The unit's rectification task was completed: the working group re-checks (复查).
    public static let findingAwaitingRecheck = prefix + "inspection.finding.awaiting-recheck.v1"
    /// The group's re-check (复查) found the rectification insufficient: a new round, a new deadline.
    public static let findingRecheckFailed = prefix + "inspection.finding.recheck-failed.v1"
    /// The re-check passed, or the office closed the finding.
    public static let findingClosed = prefix + "inspection.finding.closed.v1"

    // MARK: notification — shuangjian.notification.deliveries

    public static let deliverySent = prefix + "notification.delivery.sent.v1"
    public static let deliveryFailed = prefix + "notification.delivery.failed.v1"
    public static let deliveryDead = prefix + "notification.delivery.dead.v1"
    /// 签收: a recipient acknowledged a notification.
    public static let notificationAcknowledged = prefix + "notification.notification.acknowledged.v1"
    /// An unacknowledged letter went to the unit's member and the office.
    public static let notificationEscalated = prefix + "notification.notification.escalated.v1"
    /// The office re-queued a dead delivery (`POST /v1/deliveries/{id}/resend`).
    public static let deliveryRequeued = prefix + "notification.delivery.requeued.v1"
    /// A delivery died and the recipient's next channel got a new delivery
    /// (same idempotency key); keyed by the new delivery.
    public static let deliveryFellBack = prefix + "notification.delivery.fell-back.v1"
    /// A person's or unit's outside channel was configured (endpoint, secret, enabled).
    public static let channelConfigured = prefix + "notification.channel.configured.v1"
    /// A channel was disabled.
    public static let channelDisabled = prefix + "notification.channel.disabled.v1"

    // MARK: audit — shuangjian.audit.heads (every service)

    /// A service's audit chain head, published every few seconds when it moved.
    public static let auditHeadPublished = prefix + "audit.head.published.v1"

    /// Event type → the topic it is published on, for every type a
    /// Shuangjian service publishes, and the county's inbound signal types.
    public static let topics: [String: String] = {
        var topics: [String: String] = [:]
        for type in [unitAdmitted, unitUpdated, liaisonChanged, proposalSubmitted, proposalStudied, proposalDecided] {
            topics[type] = Topic.registryUnits
        }
        for type in [personCreated, personChanged] { topics[type] = Topic.registryPeople }
        for type in [institutionRegistered, institutionStatusChanged, institutionUpdated] {
            topics[type] = Topic.registryInstitutions
        }
        for type in [
            taskAssigned, taskAccepted, taskProgressReported, taskCompletionReported, taskCompleted, taskReturned,
            taskDueSoon, taskOverdue,
        ] {
            topics[type] = Topic.schedulingTasks
        }
        for type in letters { topics[type] = Topic.schedulingLetters }
        for type in meetingTypes { topics[type] = Topic.schedulingMeetings }
        topics[auditHeadPublished] = Topic.auditHeads
        for type in countySignals { topics[type] = Topic.countyEvents }
        for type in inspectionWarnings { topics[type] = Topic.inspectionWarnings }
        for type in inspectionInspections { topics[type] = Topic.inspectionInspections }
        for type in [
            deliverySent, deliveryFailed, deliveryDead, deliveryRequeued, deliveryFellBack, notificationAcknowledged,
            notificationEscalated, channelConfigured, channelDisabled,
        ] {
            topics[type] = Topic.notificationDeliveries
        }
        return topics
    }()

    /// The types published on `topic`, sorted.
    public static func published(on topic: String) -> [String] {
        topics.filter { $0.value == topic }.map(\.key).sorted()
    }

    /// Every type the inspection service publishes on `shuangjian.inspection.warnings`.
    public static let inspectionWarnings: [String] = [
        warningRaised, warningEscalated, warningConfirmed, warningLevelChanged, warningCirculated, warningClosed,
        specialStudyRequested,
    ]

    /// Every type the inspection service publishes on `shuangjian.inspection.inspections`.
    public static let inspectionInspections: [String] = [
        campaignOpened, campaignGroupFormed, campaignDrawRecorded, inspectionAssigned, inspectionChecklistChanged,
        inspectionSubmitted, campaignReportCirculated,
        findingRaised, findingAwaitingRecheck, findingRecheckFailed, findingClosed,
    ]

    /// Every type the registry publishes.
    public static let registry: [String] =
        published(on: Topic.registryUnits) + published(on: Topic.registryPeople)
        + published(on: Topic.registryInstitutions)
}
