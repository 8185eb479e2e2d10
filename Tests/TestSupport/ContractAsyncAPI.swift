import Foundation

/// docs/asyncapi.yaml with the look-ups the tests need: channels by topic,
/// messages by `ce_type` (with their traits applied), the operations that send them.
package struct ContractAsyncAPI {
    package let documents: ContractDocuments
    package let url: URL
    package let root: [String: Any]

    package init(documents: ContractDocuments) throws {
        self.documents = documents
        url = try ContractFiles.url("docs/asyncapi.yaml")
        root = try documents.root(url)
    }

    package var channels: [String: [String: Any]] {
        (root["channels"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    /// The channel whose address is `topic`.
    package func channel(topic: String) -> (key: String, channel: [String: Any])? {
        channels.first { $0.value["address"] as? String == topic }.map { ($0.key, $0.value) }
    }

    /// A channel's messages: key in the channel → the message, traits applied.
    package func messages(ofChannel key: String) throws -> [String: [String: Any]] {
        let messages = channels[key]?["messages"] as? [String: Any] ?? [:]
        return try messages.mapValues { try applyingTraits(documents.dereference($0, in: url).node) }
    }

    /// The message of `channel` whose `name` is `type`.
    package func message(type: String, inChannel key: String) throws -> (key: String, message: [String: Any])? {
        try messages(ofChannel: key).first { $0.value["name"] as? String == type }.map { ($0.key, $0.value) }
    }

    /// Every message under components/messages whose name starts with `prefix`.
    package func messageNames(prefix: String) throws -> Set<String> {
        let messages = (root["components"] as? [String: Any])?["messages"] as? [String: Any] ?? [:]
        return Set(try messages.values.compactMap { try documents.dereference($0, in: url).node["name"] as? String }
            .filter { $0.hasPrefix(prefix) })
    }

    /// AsyncAPI 3: traits are merged in order (JSON Merge Patch), then the
    /// message's own fields, which take precedence.
    package func applyingTraits(_ message: [String: Any]) throws -> [String: Any] {
        var merged: Any = [String: Any]()
        for trait in message["traits"] as? [Any] ?? [] {
            merged = contractMergePatch(merged, try documents.dereference(trait, in: url).node)
        }
        var own = message
        own["traits"] = nil
        return contractMergePatch(merged, own) as? [String: Any] ?? [:]
    }

    /// The `send` operations on channel `key`, with the channel message keys they list.
    package func sendOperations(onChannel key: String) -> [(name: String, messages: Set<String>)] {
        let operations = root["operations"] as? [String: Any] ?? [:]
        return operations.compactMap { name, value in
            guard let operation = value as? [String: Any], operation["action"] as? String == "send",
                  (operation["channel"] as? [String: Any])?["$ref"] as? String == "#/channels/\(key)"
            else { return nil }
            let refs = (operation["messages"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["$ref"] as? String }
            let prefix = "#/channels/\(key)/messages/"
            return (name, Set(refs.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }))
        }
    }

    /// The operations with `action` (`send`, `receive`) on channel `key`:
    /// their names, the channel message keys they list, and their tags.
    package func operations(_ action: String, onChannel key: String) -> [(name: String, messages: Set<String>, tags: Set<String>)] {
        let operations = root["operations"] as? [String: Any] ?? [:]
        return operations.compactMap { name, value in
            guard let operation = value as? [String: Any], operation["action"] as? String == action,
                  (operation["channel"] as? [String: Any])?["$ref"] as? String == "#/channels/\(key)"
            else { return nil }
            let refs = (operation["messages"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["$ref"] as? String }
            let prefix = "#/channels/\(key)/messages/"
            let tags = Set((operation["tags"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["name"] as? String })
            return (name, Set(refs.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }), tags)
        }
    }

    /// Problems of one event (as published, or as a builder makes it) against
    /// the document: its topic is a channel, its type a message of that
    /// channel sent by an operation, its key, headers and payload match.
    package func problems(
        topic: String, type: String, key: String, headers: [String: String]?, subject: String?, payload: [UInt8]
    ) throws -> [String] {
        let name = "\(type) on \(topic)"
        guard let (channelKey, _) = channel(topic: topic) else { return ["\(name): no channel has the address \(topic)"] }
        guard let (messageKey, message) = try message(type: type, inChannel: channelKey) else {
            return ["\(name): channel \(channelKey) has no message named \(type)"]
        }
        var problems: [String] = []
        if !sendOperations(onChannel: channelKey).contains(where: { $0.messages.contains(messageKey) }) {
            problems.append("\(name): no send operation on \(channelKey) lists message \(messageKey)")
        }
        if let bindings = message["bindings"] {
            let resolved = try documents.dereference(bindings, in: url).node
            if let keySchema = (resolved["kafka"] as? [String: Any])?["key"] {
                problems += documents.check(.string(key), against: keySchema, in: url, at: "key").map { "\(name): \($0)" }
            } else {
                problems.append("\(name): message \(messageKey) has no Kafka key binding")
            }
        } else {
            problems.append("\(name): message \(messageKey) has no bindings")
        }
        if let schema = message["headers"] {
            var values: [String: ContractJSON] = [:]
            if let headers {
                for (header, value) in headers { values[header] = .string(value) }
            } else {
                // A builder's event: the headers the relay will add.
                values["ce_type"] = .string(type)
                if let subject { values["ce_subject"] = .string(subject) }
            }
            let found = documents.check(.object(values), against: schema, in: url, at: "headers")
            // Without real headers, only the ones known here are judged.
            problems += found.filter { headers != nil || !$0.contains("is missing") }.map { "\(name): \($0)" }
        } else {
            problems.append("\(name): message \(messageKey) has no headers (CloudEvents trait)")
        }
        guard let payloadSchema = message["payload"] else { return problems + ["\(name): message \(messageKey) has no payload"] }
        do {
            let value = try ContractJSON.parse(payload)
            problems += contractCollapsed(documents.check(value, against: payloadSchema, in: url, at: "payload")).map { "\(name): \($0)" }
        } catch {
            problems.append("\(name): the payload is not JSON")
        }
        return problems
    }
}
