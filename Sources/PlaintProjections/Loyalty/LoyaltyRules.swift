import PlaintEvents

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The model's rules that turn a relationship's events into raw contributions (README, "Loyalty, both ways").
/// History-dependent adjustments (recovery cap, churn) come after, in `CustomerLoyalty`.
extension CustomerLoyalty {
    /// The contributions of one case, from its events that occurred by `at`.
    ///
    /// The request is the case's earliest customer message and the first response its earliest
    /// reply that is not automatic, as for the responsiveness figures (README, "Journeys and vendor responsiveness").
    static func caseContributions(
        _ journey: CaseJourney, ordinal: Int, model: LoyaltyModel, at: Int64,
        into items: inout [LoyaltyContribution]
    ) {
        let weights = model.customer
        var request: JourneyEntry?
        var outcome = RequestOutcome()
        func add(_ reason: LoyaltyReason, _ entry: JourneyEntry, _ weight: Double, effectiveAt: Int64? = nil) {
            items.append(
                LoyaltyContribution(
                    reason: reason, position: entry.position, occurredAt: entry.occurredAt,
                    effectiveAt: effectiveAt ?? entry.occurredAt, weight: weight, applied: weight, valueCents: 0,
                    caseOrdinal: ordinal))
        }
        for entry in journey.entries {
            guard entry.occurredAt <= at else { break }
            switch outcome.apply(entry) {
            case .request:
                request = entry
                add(.complaintFiled, entry, weights.complaintFiled)
            case .followUpBeforeResponse:
                add(.followUpBeforeResponse, entry, weights.followUpBeforeResponse)
            case .firstResponse:
                // A first response before any request (clock skew) counts as immediate.
                let responseTime = outcome.firstResponseTime ?? 0
                if responseTime > weights.firstResponseTarget {
                    let doublings = log2(Double(responseTime) / Double(weights.firstResponseTarget))
                    add(
                        .slowFirstResponse, entry,
                        max(weights.slowFirstResponseCap, weights.slowFirstResponsePerDoubling * doublings))
                }
                if entry.facts.replyKind == .redirect {
                    add(.redirectFirstResponse, entry, weights.redirectFirstResponse)
                }
            case .other: break
            }
            switch entry.type {
            case .caseResolved:
                if let request, entry.occurredAt - request.occurredAt <= weights.resolutionTarget {
                    add(.resolvedWithinTarget, entry, weights.resolvedWithinTarget)
                } else {
                    add(.resolvedLate, entry, weights.resolvedLate)
                }
            case .caseReopened:
                add(.reopened, entry, weights.reopened)
            case .caseAbandoned:
                add(.abandoned, entry, weights.abandoned)
            case .customerRated:
                guard entry.facts.ratingScale == .nps, let score = entry.facts.ratingScore.map(Int.init) else { break }
                if score >= weights.promoterMinimumNPS {
                    add(.promoterRating, entry, weights.promoter)
                } else if score <= weights.detractorMaximumNPS {
                    add(.detractorRating, entry, weights.detractor)
                }
            case .complaintFiled, .customerFollowedUp, .brandReplied:
                // Counted above, by their role for the request.
                break
            case .caseEscalated, .vendorChangedService, .customerChurned, .customerRenewed:
                // Escalation carries no weight; relationship events count once, from the ledger.
                break
            }
        }
        if let request, outcome.firstResponseAt == nil, at - request.occurredAt >= model.window {
            add(.ignored, request, weights.ignored, effectiveAt: request.occurredAt + model.window)
        }
    }

    /// The contributions of the relationship events that occurred by `at`.
    static func relationshipContributions(
        _ events: [JourneyEntry], model: LoyaltyModel, at: Int64, into items: inout [LoyaltyContribution]
    ) {
        let weights = model.customer
        for entry in events where entry.occurredAt <= at {
            let rule: (LoyaltyReason, Double)? =
                switch entry.type {
                case .vendorChangedService:
                    if entry.isUnconsentedAdverseChange {
                        (.unconsentedAdverseChange, weights.unconsentedAdverseChange)
                    } else if entry.facts.serviceChange == .upgrade {
                        (.upgrade, weights.upgrade)
                    } else {
                        nil
                    }
                case .customerChurned: (.churned, 0)
                case .customerRenewed: (.renewed, weights.renewed)
                default: nil
                }
            guard let (reason, weight) = rule else { continue }
            items.append(
                LoyaltyContribution(
                    reason: reason, position: entry.position, occurredAt: entry.occurredAt,
                    effectiveAt: entry.occurredAt, weight: weight, applied: weight, valueCents: 0))
        }
    }
}

extension JourneyEntry {
    /// A downgrade, price increase or policy change imposed without the customer's consent.
    public var isUnconsentedAdverseChange: Bool {
        type == .vendorChangedService && facts.serviceChange?.isAdverse == true && facts.consented == false
    }
}
