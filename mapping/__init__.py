"""The map: geo helpers (distance, bounding box), the GeoJSON feed of needs, the coordinator map board."""
