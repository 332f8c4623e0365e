/** A running sum with Neumaier's compensation, for totals that must agree with numpy to ~1e-15 at N = 1e6. */

/**
 * Adds doubles with a running compensation term that recovers the low-order bits each addition loses, so the
 * error stays near one rounding of the total regardless of the number of terms.
 * Reference: Neumaier, A. (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54(1).
 *
 * @example const sum = new NeumaierSum();
 * for (const x of [1, 1e100, 1, -1e100]) sum.add(x);
 * sum.value // => 2 (a plain loop gives 0)
 */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const total = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - total + x : x - total + this.sum;
    this.sum = total;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
