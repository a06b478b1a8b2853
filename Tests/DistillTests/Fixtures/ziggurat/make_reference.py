# An independent ziggurat (SplitMix64 bits, the 128-layer table by the same recursion, Doornik's
# test) in Python: the first values and the sums of 2,000 values from seed 9, which
# ZigguratNormalsTests.matchesAPythonReference checks.  Run: python3 make_reference.py
import math
M=(1<<64)-1
class SM:
    def __init__(s, seed): s.state=seed
    def next(s):
        s.state=(s.state+0x9E3779B97F4A7C15)&M
        z=s.state
        z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
        z=((z^(z>>27))*0x94D049BB133111EB)&M
        return z^(z>>31)
    def unit(s): return (s.next()>>11)*2.0**-53
R=3.442619855899; V=9.91256303526217e-3
x=[0.0]*129
f=math.exp(-0.5*R*R); x[0]=V/f; x[1]=R
for i in range(2,128):
    x[i]=math.sqrt(-2*math.log(V/x[i-1]+f)); f=math.exp(-0.5*x[i]*x[i])
def normal(g):
    while True:
        b=g.next(); i=b&0x7F; u=(b>>11)*2.0**-52-1
        if abs(u) < x[i+1]/x[i]: return u*x[i]
        if i==0:
            while True:
                a=-math.log(max(g.unit(),5e-324))/R; c=-math.log(max(g.unit(),5e-324))
                if c+c>=a*a: return -(R+a) if u<0 else R+a
        xx=u*x[i]
        o=math.exp(-0.5*(x[i]*x[i]-xx*xx)); inn=math.exp(-0.5*(x[i+1]*x[i+1]-xx*xx))
        if inn+g.unit()*(o-inn)<1: return xx
g=SM(9)
vals=[normal(g) for _ in range(2000)]
print([repr(v) for v in vals[:6]])
print(repr(sum(vals)), repr(sum(v*v for v in vals)))
