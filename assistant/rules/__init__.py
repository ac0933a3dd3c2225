"""The rules layer: checked facts per pool, calculators and intent matching."""
