// Float-float arithmetic shared by the Gram kernels (gram.wgsl, gram_cooperative.wgsl), which
// the engine prepends to them: exact products by 12-bit splitting and Knuth's TwoSum, as in Ogita,
// Rump & Oishi's Dot2. Why the Gram needs them: see gram.wgsl. They rely on float32 additions
// that the compiler does not reassociate (tests/engine/gramAccuracy.test.ts measures the floor).

// The high half of x: its sign, exponent and top 11 mantissa bits (12 significant bits).
fn hi12(x: vec4<f32>) -> vec4<f32> {
  return bitcast<vec4<f32>>(bitcast<vec4<u32>>(x) & vec4<u32>(0xfffff000u));
}

// (*s, *t) += x·y, x·y taken exactly: p = fl(x·y) plus its rounding error e, from the split
// halves (xh·yh − p is exact by Sterbenz's lemma; the rest is 2⁻¹¹ of p, rounded at 2⁻²⁴ of that),
// and p added to *s by TwoSum, its rounding error and e collected in *t.
fn dot2(s: ptr<function, vec4<f32>>, t: ptr<function, vec4<f32>>, x: vec4<f32>, y: vec4<f32>) {
  let p = x * y;
  let xh = hi12(x);
  let yh = hi12(y);
  let xl = x - xh;
  let yl = y - yh;
  let e = ((xh * yh - p) + (xh * yl + xl * yh)) + xl * yl;
  let sum = *s + p;
  let bv = sum - *s;
  *t += ((*s - (sum - bv)) + (p - bv)) + e;
  *s = sum;
}

// Scalar TwoSum: (*s, *t) += x.
fn twoSum(s: ptr<function, f32>, t: ptr<function, f32>, x: f32) {
  let sum = *s + x;
  let bv = sum - *s;
  *t += (*s - (sum - bv)) + (x - bv);
  *s = sum;
}
