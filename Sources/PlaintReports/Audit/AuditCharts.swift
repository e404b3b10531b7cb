import Glibc
import PlaintProjections

/// The audit's charts laid out as SVG: the trend of response rate and first-response times, the
/// log-scale histogram of first-response times, and the hour-of-week grids. Pure geometry over
/// the figures `AuditData` holds; the HTML template only writes the shapes out.
enum AuditCharts {
    static let width = 720.0
    static let left = 60.0
    static let right = 16.0
    /// A point or cell resting on fewer requests than this is drawn weaker (hollow or grey, with
    /// its count): its value is mostly chance.
    static let weakBelow = 5

    static func figures(_ chart: AuditDocument.Chart) -> [SVGFigure] {
        switch chart {
        case .trend(let period, let periods): [trend(period: period, periods: periods)]
        case .firstResponseHistogram(let histogram, let unanswered):
            [firstResponseHistogram(histogram, unanswered: unanswered)]
        case .hourOfWeekRequests(let cells): [hourOfWeekRequests(cells)]
        case .hourOfWeekRates(let cells): [hourOfWeekRates(cells)]
        }
    }

    // MARK: Trend

    /// Two panels sharing the time axis: response rate within H (0-100%, with the 65% "Socially
    /// Devoted" bar), and first-response P50/P90 on a log scale.
    static func trend(period: PeriodLength, periods: [(start: Int64, figures: ResponsivenessFigures)]) -> SVGFigure {
        var figure = SVGFigure(
            width: Int(width), height: 390,
            label: "Response rate within H and first response P50 and P90 by \(period.rawValue)")
        // Room on the right for half a date label under the last period.
        let plotRight = width - 40
        let plotWidth = plotRight - left
        func x(_ index: Int) -> Double {
            periods.count == 1 ? left + plotWidth / 2 : left + Double(index) * plotWidth / Double(periods.count - 1)
        }
        // Panel 1: response rate.
        let rateTop = 24.0
        let rateBottom = 164.0
        func rateY(_ rate: Double) -> Double { rateBottom - rate * (rateBottom - rateTop) }
        figure.text("response rate within H", x: left, y: 14, anchor: "start", style: "panel")
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            figure.line(x1: left, y1: rateY(tick), x2: plotRight, y2: rateY(tick), style: "grid")
            figure.text("\(Int(tick * 100))%", x: left - 6, y: rateY(tick) + 4, anchor: "end")
        }
        figure.line(x1: left, y1: rateY(0.65), x2: plotRight, y2: rateY(0.65), style: "yardstick")
        figure.text("65% Socially Devoted", x: plotRight, y: rateY(0.65) - 4, anchor: "end", style: "note")
        for segment in segments(periods.map(\.figures.responseRate?.value)) {
            figure.polyline(segment.map { (x($0.index), rateY($0.value)) }, style: "rate")
        }
        for (index, item) in periods.enumerated() {
            guard let rate = item.figures.responseRate else { continue }
            let weak = rate.base < weakBelow
            figure.circle(
                x: x(index), y: rateY(rate.value), style: weak ? "rate weak" : "rate",
                title: "\(Human.date(item.start)): \(Human.rate(rate)) of \(rate.base) decided requests")
            if weak { figure.text("n=\(rate.base)", x: x(index), y: rateY(rate.value) - 7, style: "weak-count") }
        }
        // Panel 2: first response times, log scale.
        let frtTop = 210.0
        let frtBottom = 340.0
        let values = periods.flatMap { [$0.figures.frtP50?.value, $0.figures.frtP90?.value] }.compactMap { $0 }
        let ticks = durationTicks(covering: values)
        let low = log(Double(ticks.first!))
        let high = log(Double(ticks.last!))
        func frtY(_ microseconds: Int64) -> Double {
            let seconds = max(Double(ticks.first!), Double(microseconds) / 1_000_000)
            return frtBottom - (log(seconds) - low) / (high - low) * (frtBottom - frtTop)
        }
        figure.text(
            "first response P50 (solid) and P90 (dashed), log scale", x: left, y: 200, anchor: "start", style: "panel")
        for tick in ticks {
            let y = frtY(tick * 1_000_000)
            figure.line(x1: left, y1: y, x2: plotRight, y2: y, style: "grid")
            figure.text(durationLabel(tick), x: left - 6, y: y + 4, anchor: "end")
        }
        for (name, measure) in [("p50", { (f: ResponsivenessFigures) in f.frtP50 }), ("p90", { $0.frtP90 })] {
            let series = periods.map { measure($0.figures).map { Double($0.value) } }
            for segment in segments(series) {
                figure.polyline(segment.map { (x($0.index), frtY(Int64($0.value))) }, style: name)
            }
            for (index, item) in periods.enumerated() {
                guard let percentile = measure(item.figures) else { continue }
                let weak = percentile.count < weakBelow
                figure.circle(
                    x: x(index), y: frtY(percentile.value), style: weak ? "\(name) weak" : name,
                    title: "\(Human.date(item.start)): \(name.uppercased()) \(Human.percentile(percentile)) of "
                        + "\(percentile.count) answered requests")
                if weak, name == "p50" {
                    figure.text(
                        "n=\(percentile.count)", x: x(index), y: frtY(percentile.value) + 14, style: "weak-count")
                }
            }
        }
        // The shared time axis: at most eight labels.
        let step = max(1, (periods.count + 7) / 8)
        for index in stride(from: 0, to: periods.count, by: step) {
            let date = String(Human.date(periods[index].start).prefix(period == .month ? 7 : 10))
            figure.text(date, x: x(index), y: 360)
        }
        figure.text(
            "\(period.rawValue) starting (UTC); hollow points rest on fewer than \(weakBelow) decided requests (n = their count)",
            x: left + plotWidth / 2, y: 382, style: "panel")
        return figure
    }

    /// Runs of consecutive defined values: a line is not drawn across a period without a value.
    static func segments(_ values: [Double?]) -> [[(index: Int, value: Double)]] {
        var runs: [[(index: Int, value: Double)]] = [[]]
        for (index, value) in values.enumerated() {
            if let value {
                runs[runs.count - 1].append((index, value))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Round durations (seconds) bracketing the values (microseconds) for a log axis.
    static func durationTicks(covering values: [Int64]) -> [Int64] {
        let all: [Int64] = [
            60, 600, 3_600, 6 * 3_600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400, 90 * 86_400, 365 * 86_400,
        ]
        let lowest = (values.min() ?? 0) / 1_000_000
        let highest = (values.max() ?? 0) / 1_000_000
        let first = all.lastIndex { $0 <= lowest } ?? 0
        let last = all.firstIndex { $0 >= highest } ?? all.count - 1
        return Array(all[first...max(last, first + 1)])
    }

    // MARK: Histogram

    /// Bars on a doubling scale of minutes, with markers at 1 h, 24 h and the CFPB's 15 days,
    /// and a last bar, set apart, for the requests without a first response (ignored and
    /// pending), so that the bars cover every request.
    static func firstResponseHistogram(_ histogram: [Int], unanswered: Int) -> SVGFigure {
        let height = 270.0
        var figure = SVGFigure(
            width: Int(width), height: Int(height), label: "Histogram of first response times on a log scale")
        let top = 30.0
        let bottom = 210.0
        // The answered bins, then a gap of half a slot, then the unanswered bar.
        let slot = (width - left - right) / (Double(histogram.count) + 1.5)
        let (peak, step) = countAxis(max(histogram.max() ?? 0, unanswered))
        figure.text("requests", x: left - 6, y: 14, anchor: "end", style: "panel")
        for tick in stride(from: 0, through: peak, by: step) {
            let y = bottom - Double(tick) / Double(peak) * (bottom - top)
            figure.line(x1: left, y1: y, x2: width - right, y2: y, style: "grid")
            figure.text("\(tick)", x: left - 6, y: y + 4, anchor: "end")
        }
        for (bucket, count) in histogram.enumerated() {
            let x = left + Double(bucket) * slot
            let barHeight = Double(count) / Double(peak) * (bottom - top)
            let last = bucket == histogram.count - 1
            let range =
                "\(Human.duration(BrandAudit.bucketStart(bucket)))"
                + (last ? " or more" : " to \(Human.duration(BrandAudit.bucketStart(bucket + 1)))")
            figure.rect(
                x: x + 2, y: bottom - barHeight, width: slot - 4, height: barHeight, style: "bar",
                title: "\(range): \(count) requests")
            if count > 0 { figure.text("\(count)", x: x + slot / 2, y: bottom - barHeight - 4, style: "value") }
            // Bucket boundaries, every other one: 0, 2m, 8m, 32m, 2.1h...
            if bucket % 2 == 0 { figure.text(bucketLabel(bucket), x: x, y: bottom + 16) }
        }
        let unansweredX = left + (Double(histogram.count) + 0.5) * slot
        let unansweredHeight = Double(unanswered) / Double(peak) * (bottom - top)
        figure.rect(
            x: unansweredX + 2, y: bottom - unansweredHeight, width: slot - 4, height: unansweredHeight,
            style: "bar unanswered", title: "no first response (ignored or pending): \(unanswered) requests")
        if unanswered > 0 {
            figure.text("\(unanswered)", x: unansweredX + slot / 2, y: bottom - unansweredHeight - 4, style: "value")
        }
        figure.text("none", x: unansweredX + slot / 2, y: bottom + 16)
        for (name, minutes) in [("1 h", 60.0), ("24 h", 1_440.0), ("15 days", 21_600.0)] {
            let x = left + (1 + log2(minutes)) * slot
            figure.line(x1: x, y1: top - 10, x2: x, y2: bottom, style: "yardstick")
            figure.text(name, x: x + 3, y: top - 12, anchor: "start", style: "note")
        }
        figure.text(
            "first response time (each bar covers twice the time span of the one before it; \"none\": unanswered)",
            x: left + (width - left - right) / 2, y: 250, style: "panel")
        return figure
    }

    /// `0`, `2m`, `2.1h`, `1.4d`: a bucket's lower bound, short enough for the axis.
    static func bucketLabel(_ bucket: Int) -> String {
        guard bucket > 0 else { return "0" }
        let minutes = Double(BrandAudit.bucketStart(bucket)) / 60_000_000
        if minutes < 60 { return "\(Int(minutes))m" }
        if minutes < 1_440 { return "\(SVGFigure.number(minutes / 60))h" }
        return "\(SVGFigure.number(minutes / 1_440))d"
    }

    /// `1m`, `6h`, `3d`: a round duration (seconds) for an axis.
    static func durationLabel(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        return "\(seconds / 60)m"
    }

    /// The top of a count axis and its tick step: steps of 1, 2 or 5 times a power of ten, at
    /// most five ticks above zero, the top a whole number of steps at or above `peak`.
    static func countAxis(_ peak: Int) -> (top: Int, step: Int) {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] {
                let step = factor * magnitude
                let ticks = (max(peak, 1) + step - 1) / step
                if ticks <= 5 { return (ticks * step, step) }
            }
            magnitude *= 10
        }
    }

    // MARK: Hour of week

    /// 7 × 24 cells of requests filed per hour, shaded by count; each cell prints its number.
    static func hourOfWeekRequests(_ cells: [RequestTally]) -> SVGFigure {
        let peak = cells.map(\.requests).max() ?? 0
        return grid(
            label: "Requests filed per hour of the week (UTC)", title: "requests filed",
            cells: cells.map { cell in
                let fraction = peak == 0 ? 0 : Double(cell.requests) / Double(peak)
                return (
                    text: cell.requests == 0 ? "" : "\(cell.requests)", fill: shade(fraction), dark: fraction > 0.55,
                    title: "\(cell.requests) requests"
                )
            })
    }

    /// 7 × 24 cells of the response rate within H of the requests filed in each hour, red to
    /// green, grey where none was decided; each cell prints its percentage, or, where fewer than
    /// `weakBelow` were decided, stays grey and prints answered/decided.
    static func hourOfWeekRates(_ cells: [RequestTally]) -> SVGFigure {
        grid(
            label: "Response rate within H per hour of the week (UTC)", title: "response rate within H (%)",
            cells: cells.map { cell in
                guard let rate = cell.responseRate else {
                    return (text: "", fill: "#eef0f3", dark: false, title: "none decided")
                }
                if rate.base < weakBelow {
                    return (
                        text: "\(rate.count)/\(rate.base)", fill: "#e4e7ec", dark: false,
                        title: "\(Human.rate(rate)) of \(rate.base) decided: too few to colour"
                    )
                }
                return (
                    text: "\(Int((rate.value * 100).rounded()))", fill: rateColor(rate.value), dark: false,
                    title: "\(Human.rate(rate)) of \(rate.base) decided"
                )
            })
    }

    static func grid(label: String, title: String, cells: [(text: String, fill: String, dark: Bool, title: String)])
        -> SVGFigure
    {
        let cellWidth = (width - 44 - right) / 24
        let cellHeight = 22.0
        let top = 34.0
        var figure = SVGFigure(width: Int(width), height: Int(top + 7 * cellHeight + 6), label: label)
        figure.text(title, x: 44, y: 12, anchor: "start", style: "panel")
        for hour in stride(from: 0, to: 24, by: 3) {
            figure.text("\(hour):00", x: 44 + (Double(hour) + 0.5) * cellWidth, y: top - 6)
        }
        for (day, name) in Human.weekdays.enumerated() {
            let y = top + Double(day) * cellHeight
            figure.text(name, x: 38, y: y + cellHeight / 2 + 4, anchor: "end")
            for hour in 0..<24 {
                let cell = cells[day * 24 + hour]
                let x = 44 + Double(hour) * cellWidth
                figure.rect(
                    x: x, y: y, width: cellWidth - 1, height: cellHeight - 1, style: "cell", fill: cell.fill,
                    title: "\(name) \(hour):00-\(hour):59: \(cell.title)")
                if !cell.text.isEmpty {
                    figure.text(
                        cell.text, x: x + cellWidth / 2, y: y + cellHeight / 2 + 3.5,
                        style: cell.dark ? "cell-value on-dark" : "cell-value")
                }
            }
        }
        return figure
    }

    /// From near-white to deep blue as `fraction` goes from 0 to 1.
    static func shade(_ fraction: Double) -> String {
        mix((246, 248, 251), (37, 84, 199), fraction)
    }

    /// Red below half, through amber, to green at 1.
    static func rateColor(_ rate: Double) -> String {
        rate < 0.5 ? mix((214, 69, 65), (240, 180, 60), rate * 2) : mix((240, 180, 60), (62, 160, 90), (rate - 0.5) * 2)
    }

    static func mix(_ from: (Int, Int, Int), _ to: (Int, Int, Int), _ fraction: Double) -> String {
        func channel(_ a: Int, _ b: Int) -> Int { a + Int((Double(b - a) * min(1, max(0, fraction))).rounded()) }
        let values = [channel(from.0, to.0), channel(from.1, to.1), channel(from.2, to.2)]
        let digits = Array("0123456789abcdef")
        return "#" + String(values.flatMap { [digits[$0 >> 4], digits[$0 & 15]] })
    }
}
