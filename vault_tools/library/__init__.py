"""The knowledge library a topic is compiled against: library notes
(trade-offs, deep dives, capacity, problems), the component catalog, the
rules that suggest notes, and the cross-topic blocks written back into them."""
