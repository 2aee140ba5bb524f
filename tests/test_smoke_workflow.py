from claims.models import ClaimState


def test_published_claim_fixture_walks_the_whole_workflow(published_claim):
    assert published_claim.state == ClaimState.PUBLISHED
    assert published_claim.consensus_rating == "true"
    assert [e.action for e in published_claim.events.all()] == [
        "create",
        "triage",
        "assign",
        "start_research",
        "review",
        "submit_for_signoff",
        "publish",
    ]
