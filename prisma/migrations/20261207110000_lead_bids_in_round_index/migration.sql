-- Every bid page and every submission counts the lead council's other bids in the round (the
-- rule on how many a council may lead). With an index on the council alone, that read every
-- bid the council had ever led, from the table: 8 ms a view for a council with 2,500 bids
-- (docs/performance.md). By council, round and state, it is a count of index entries; the
-- council's bids in every round, which the old index served, are its first column.
DROP INDEX "Bid_leadOrganisationId_idx";
CREATE INDEX "Bid_leadOrganisationId_roundId_state_idx" ON "Bid" ("leadOrganisationId", "roundId", state);
