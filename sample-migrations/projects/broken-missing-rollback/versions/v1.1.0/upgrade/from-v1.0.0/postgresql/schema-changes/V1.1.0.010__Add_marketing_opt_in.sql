-- DEFECT: this upgrade ships without a rollback/ folder although project-config.yaml says
-- require_rollback: true. Rehearse's `policy` check must fail; the rollback checks of this upgrade
-- are skipped rather than failed.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS marketing_opt_in boolean NOT NULL DEFAULT false;
