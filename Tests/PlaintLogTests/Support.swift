import PlaintLog

func positions(_ results: [AppendResult]) -> [UInt64] {
    results.compactMap {
        if case .appended(let position, _) = $0 { position } else { nil }
    }
}
