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

    /// 督办函 / 协调函 issued to a unit (payload agreed with the notification service).
    public static let letterIssued = prefix + "scheduling.letter.issued.v1"

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
    /// A person's or unit's outside channel was configured (endpoint, secret, enabled).
    public static let channelConfigured = prefix + "notification.channel.configured.v1"
    /// A channel was disabled.
    public static let channelDisabled = prefix + "notification.channel.disabled.v1"

    // MARK: audit — shuangjian.audit.heads (every service)

    /// A service's audit chain head, published every few seconds when it moved.
    public static let auditHeadPublished = prefix + "audit.head.published.v1"

    /// Event type → the topic it is published on, for every type a
    /// Shuangjian service publishes.
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
        topics[letterIssued] = Topic.schedulingLetters
        for type in meetingTypes { topics[type] = Topic.schedulingMeetings }
        topics[auditHeadPublished] = Topic.auditHeads
        for type in [
            deliverySent, deliveryFailed, deliveryDead, deliveryRequeued, notificationAcknowledged,
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

    /// Every type the registry publishes.
    public static let registry: [String] =
        published(on: Topic.registryUnits) + published(on: Topic.registryPeople)
        + published(on: Topic.registryInstitutions)
}
