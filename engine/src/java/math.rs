//! Velocity 1.7 arithmetic and numeric comparison (`MathUtils`): Integer/Long/BigInteger/Double.
