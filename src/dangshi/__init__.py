"""dangshi: a Party learning-education campaign platform."""
