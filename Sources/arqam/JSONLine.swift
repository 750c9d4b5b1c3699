/// Builds one JSON object per line by hand: the key order stays as documented and no
/// intermediate dictionaries are made for thousands of readings.
import Foundation

struct JSONLine {
    private var text = "{"

    mutating func add(_ key: String, _ value: String) { field(key, JSONLine.quoted(value)) }
    mutating func add(_ key: String, _ value: Double) { field(key, JSONLine.number(value)) }
    mutating func add(_ key: String, _ value: Int) { field(key, String(value)) }
    mutating func add(_ key: String, raw json: String) { field(key, json) }

    var line: String { text + "}" }

    private mutating func field(_ key: String, _ json: String) {
        if text.count > 1 { text += "," }
        text += JSONLine.quoted(key) + ":" + json
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        // Six significant digits: enough for a probability, and small ones stay visible (1e-30).
        return String(format: "%.6g", value)
    }

    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
