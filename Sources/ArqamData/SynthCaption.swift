/// Arabic captions printed next to fields ("الرقم القومي :"), turned into presentation-form
/// glyphs in visual (left-to-right) order. Crops of real forms often catch a caption at their
/// edge; the model must learn to ignore it. A joining table for the letters below is enough:
/// no shaping engine needed.
enum SynthCaption {
    static let phrases = [
        "الرقم القومي", "رقم قومي", "الرقم القومى", "رقم البطاقة", "رقم الهاتف", "رقم المحمول",
        "تليفون", "الموبايل", "محمول", "تاريخ الميلاد", "تاريخ الإصدار", "تاريخ", "التاريخ",
        "رقم", "العدد", "الكود", "رقم الطلب", "رقم الملف", "الاسم", "العنوان", "المحافظة",
        "جهة العمل", "الجنسية", "رقم الحساب", "المبلغ", "السن", "ملاحظات", "التوقيع",
    ]

    /// Isolated presentation form of each letter and whether it joins the letter after it
    /// (dual-joining: isolated, final, initial, medial at +0…+3) or not (right-joining:
    /// isolated, final at +0, +1).
    private static let forms: [UInt32: (isolated: UInt32, dualJoining: Bool)] = [
        0x622: (0xFE81, false), 0x623: (0xFE83, false), 0x625: (0xFE87, false), 0x627: (0xFE8D, false),
        0x628: (0xFE8F, true), 0x629: (0xFE93, false), 0x62A: (0xFE95, true), 0x62B: (0xFE99, true),
        0x62C: (0xFE9D, true), 0x62D: (0xFEA1, true), 0x62E: (0xFEA5, true), 0x62F: (0xFEA9, false),
        0x630: (0xFEAB, false), 0x631: (0xFEAD, false), 0x632: (0xFEAF, false), 0x633: (0xFEB1, true),
        0x634: (0xFEB5, true), 0x635: (0xFEB9, true), 0x636: (0xFEBD, true), 0x637: (0xFEC1, true),
        0x638: (0xFEC5, true), 0x639: (0xFEC9, true), 0x63A: (0xFECD, true), 0x641: (0xFED1, true),
        0x642: (0xFED5, true), 0x643: (0xFED9, true), 0x644: (0xFEDD, true), 0x645: (0xFEE1, true),
        0x646: (0xFEE5, true), 0x647: (0xFEE9, true), 0x648: (0xFEED, false), 0x649: (0xFEEF, false),
        0x64A: (0xFEF1, true),
    ]

    /// Lam followed by these alefs becomes one ligature (isolated form; final = +1).
    private static let lamAlef: [UInt32: UInt32] = [0x622: 0xFEF5, 0x623: 0xFEF7, 0x625: 0xFEF9, 0x627: 0xFEFB]

    /// Presentation-form scalars of `text` in visual order; spaces stay U+0020.
    static func visualGlyphs(_ text: String) -> [UInt32] {
        var letters = text.unicodeScalars.map(\.value)
        var logical: [(base: UInt32, dual: Bool)] = []
        var index = 0
        while index < letters.count {
            let scalar = letters[index]
            if scalar == 0x644, index + 1 < letters.count, let ligature = lamAlef[letters[index + 1]] {
                logical.append((ligature, false))
                index += 2
            } else if let form = forms[scalar] {
                logical.append((form.isolated, form.dualJoining))
                index += 1
            } else {
                logical.append((scalar, false))
                index += 1
            }
        }
        letters = []
        for (position, letter) in logical.enumerated() {
            guard letter.base >= 0xFE70 else {
                letters.append(letter.base)
                continue
            }
            let joinsBefore = position > 0 && logical[position - 1].dual && logical[position - 1].base >= 0xFE70
            let joinsAfter = letter.dual && position + 1 < logical.count && logical[position + 1].base >= 0xFE70
            switch (joinsBefore, joinsAfter) {
            case (false, false): letters.append(letter.base)
            case (true, false): letters.append(letter.base + 1)
            case (false, true): letters.append(letter.base + 2)
            case (true, true): letters.append(letter.base + 3)
            }
        }
        return letters.reversed()
    }
}
