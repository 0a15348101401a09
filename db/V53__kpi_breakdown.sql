-- A KPI's breakdown (kpi.complaints-by-category: complaints per category, collective, major,
-- repeat), so that a period retired from memory reads back whole from the store.
ALTER TABLE kpis ADD COLUMN breakdown JSONB;
