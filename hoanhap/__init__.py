"""Hòa Nhập: community reintegration of people who completed a prison sentence or were amnestied."""
