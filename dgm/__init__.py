"""dgm: Dongguan Manufacturing 2025 analysis helpers."""
