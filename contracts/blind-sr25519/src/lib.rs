//! Blind Schnorr signatures over Ristretto that verify as plain **sr25519**
//! signatures (schnorrkel's `verify_simple` with Substrate's `b"substrate"`
//! context), so a contract checks them with the chain's `sr25519_verify` host
//! function: cheap, and publicly verifiable.
//!
//! The protocol (Chaum–Pedersen style blind Schnorr), for a signer with secret
//! `x` and public key `A = x·B`:
//!
//! 1. the signer picks a fresh nonce `k` and sends `R = k·B` ([`Signer::commit`]);
//! 2. the user picks random `α, β`, computes `R' = R + α·B + β·A`, the sr25519
//!    challenge `c' = H(A, R', message)` and sends `c = c' + β` ([`blind`]);
//! 3. the signer answers `s = k + c·x` ([`Signer::respond`]), spending the nonce;
//! 4. the user's signature is `(R', s' = s + α)` ([`Blinded::unblind`]):
//!    `s'·B − c'·A = R'`.
//!
//! **Blindness** is perfect: for any session the signer saw (`R`, `c`, `s`) and
//! any valid signature, exactly one pair `(α, β)` links them, so a signature
//! says nothing about which session made it.
//!
//! **One-more unforgeability** holds only if the signer never has two sessions
//! open at once with the same key: with many concurrent sessions, the ROS attack
//! (Benhamouda et al., 2021) forges one signature more than it was given. The
//! signer therefore serves one session per key at a time (`docs/PRIVACY.md`);
//! what a forgery could still take is bounded on chain by the key's backing.
#![deny(unsafe_code)]
// Scalar and point arithmetic is modular: it cannot overflow.
#![allow(clippy::arithmetic_side_effects)]

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::OsRng;
use zeroize::Zeroize;

/// The signing context Substrate's `sr25519_verify` uses.
pub const SUBSTRATE_CONTEXT: &[u8] = b"substrate";

/// Why a step of the protocol failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// A public key or commitment that is not a valid compressed Ristretto point.
    InvalidPoint,
    /// A challenge, response or secret key that is not a canonical scalar.
    InvalidScalar,
    /// The signer's response does not make a valid signature: a wrong key or a
    /// dishonest signer.
    InvalidResponse,
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::InvalidPoint => "not a valid Ristretto point",
            Self::InvalidScalar => "not a canonical scalar",
            Self::InvalidResponse => "the response does not make a valid signature",
        })
    }
}

impl std::error::Error for Error {}

fn point(bytes: &[u8; 32]) -> Result<RistrettoPoint, Error> {
    CompressedRistretto(*bytes)
        .decompress()
        .ok_or(Error::InvalidPoint)
}

fn scalar(bytes: &[u8; 32]) -> Result<Scalar, Error> {
    Option::from(Scalar::from_canonical_bytes(*bytes)).ok_or(Error::InvalidScalar)
}

/// The sr25519 challenge of `message` under `public` with commitment `r`,
/// exactly as schnorrkel derives it (a Merlin transcript).
fn challenge_of(public: &[u8; 32], r: &[u8; 32], message: &[u8]) -> Scalar {
    let mut transcript = Transcript::new(b"SigningContext");
    transcript.append_message(b"", SUBSTRATE_CONTEXT);
    transcript.append_message(b"sign-bytes", message);
    transcript.append_message(b"proto-name", b"Schnorr-sig");
    transcript.append_message(b"sign:pk", public);
    transcript.append_message(b"sign:R", r);
    let mut wide = [0u8; 64];
    transcript.challenge_bytes(b"sign:c", &mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// Checks an sr25519 signature as the chain does (schnorrkel's `verify_simple`
/// with the Substrate context), marker bit included.
pub fn verify(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let (Ok(a), Some(r_bytes)) = (point(public), signature[..32].try_into().ok()) else {
        return false;
    };
    let mut s_bytes: [u8; 32] = signature[32..].try_into().unwrap_or([0; 32]);
    if s_bytes[31] & 0x80 == 0 {
        return false;
    }
    s_bytes[31] &= 0x7f;
    let Ok(s) = scalar(&s_bytes) else {
        return false;
    };
    let c = challenge_of(public, r_bytes, message);
    RistrettoPoint::vartime_double_scalar_mul_basepoint(&c, &(-a), &s)
        .compress()
        .0
        == *r_bytes
}

/// 32 bytes from the operating system's randomness: a voucher's serial, or the
/// seed of a fresh key.
pub fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    bytes
}

/// What a signer can test about one of its sessions (commitment `R`, blinded
/// challenge `c`, response `s`) and a signature it later sees: whether some
/// `(α, β)` turns the one into the other. For a valid signature of `message` the
/// answer is always yes, whichever session made it; this is the blindness, and
/// the unlinkability tests use it as the signer's best test.
pub fn session_fits(
    public: &[u8; 32],
    (commitment, challenge, response): (&[u8; 32], &[u8; 32], &[u8; 32]),
    message: &[u8],
    signature: &[u8; 64],
) -> bool {
    let (Ok(a), Ok(r), Ok(c), Ok(s)) = (
        point(public),
        point(commitment),
        scalar(challenge),
        scalar(response),
    ) else {
        return false;
    };
    let r_prime: [u8; 32] = signature[..32].try_into().unwrap_or([0; 32]);
    let mut s_bytes: [u8; 32] = signature[32..].try_into().unwrap_or([0; 32]);
    s_bytes[31] &= 0x7f;
    let Ok(s_prime) = scalar(&s_bytes) else {
        return false;
    };
    let alpha = s_prime - s;
    let beta = c - challenge_of(public, &r_prime, message);
    (r + &alpha * RISTRETTO_BASEPOINT_TABLE + beta * a)
        .compress()
        .0
        == r_prime
}

/// A signing key: what the voucher desk holds for one denomination.
pub struct Signer {
    secret: Scalar,
    public: [u8; 32],
}

impl Drop for Signer {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl Signer {
    /// A fresh key from the operating system's randomness.
    pub fn generate() -> Self {
        Self::from_scalar(Scalar::random(&mut OsRng))
    }

    /// The key whose secret scalar is `secret` (as [`Signer::to_bytes`] wrote it).
    pub fn from_bytes(secret: &[u8; 32]) -> Result<Self, Error> {
        scalar(secret).map(Self::from_scalar)
    }

    fn from_scalar(secret: Scalar) -> Self {
        let public = (&secret * RISTRETTO_BASEPOINT_TABLE).compress().0;
        Self { secret, public }
    }

    /// The secret scalar, to keep in a file only the desk reads.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }

    /// The public key: an sr25519 public key.
    pub fn public(&self) -> [u8; 32] {
        self.public
    }

    /// An ordinary (not blind) sr25519 signature of `message`: the signer sees
    /// what it signs, so this links the signature to whoever asked for it.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let (nonce, r) = self.commit();
        let c = challenge_of(&self.public, &r, message);
        let s = nonce.0 + c * self.secret;
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(&r);
        signature[32..].copy_from_slice(&s.to_bytes());
        signature[63] |= 0x80;
        signature
    }

    /// Step 1: a fresh nonce and its commitment `R`, to send to the user.
    pub fn commit(&self) -> (Nonce, [u8; 32]) {
        let k = Scalar::random(&mut OsRng);
        let r = (&k * RISTRETTO_BASEPOINT_TABLE).compress().0;
        (Nonce(k), r)
    }

    /// Step 3: the answer to the user's blinded challenge. The nonce is spent:
    /// answering two challenges with one nonce would reveal the secret key.
    pub fn respond(&self, nonce: Nonce, blinded_challenge: &[u8; 32]) -> Result<[u8; 32], Error> {
        let c = scalar(blinded_challenge)?;
        Ok((nonce.0 + c * self.secret).to_bytes())
    }
}

/// A signer's one-use nonce, consumed by [`Signer::respond`].
pub struct Nonce(Scalar);

impl Drop for Nonce {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What the user keeps between sending the blinded challenge and unblinding.
pub struct Blinded {
    alpha: Scalar,
    public: RistrettoPoint,
    r_prime: [u8; 32],
    challenge: Scalar,
}

impl Drop for Blinded {
    fn drop(&mut self) {
        self.alpha.zeroize();
        self.challenge.zeroize();
    }
}

/// Step 2: blinds `message` for the signer with `public` key, who committed to
/// `commitment`; returns what to keep and the blinded challenge to send.
pub fn blind(
    public: &[u8; 32],
    commitment: &[u8; 32],
    message: &[u8],
) -> Result<(Blinded, [u8; 32]), Error> {
    let a = point(public)?;
    let r = point(commitment)?;
    let (alpha, mut beta) = (Scalar::random(&mut OsRng), Scalar::random(&mut OsRng));
    let r_prime = (r + &alpha * RISTRETTO_BASEPOINT_TABLE + beta * a)
        .compress()
        .0;
    let c_prime = challenge_of(public, &r_prime, message);
    let blinded_challenge = (c_prime + beta).to_bytes();
    beta.zeroize();
    let blinded = Blinded {
        alpha,
        public: a,
        r_prime,
        challenge: c_prime,
    };
    Ok((blinded, blinded_challenge))
}

impl Blinded {
    /// Step 4: the sr25519 signature of the message from the signer's response,
    /// checked before it is returned.
    pub fn unblind(self, response: &[u8; 32]) -> Result<[u8; 64], Error> {
        let s_prime = scalar(response)? + self.alpha;
        // s'·B − c'·A must be R'.
        let check = RistrettoPoint::vartime_double_scalar_mul_basepoint(
            &self.challenge,
            &(-self.public),
            &s_prime,
        );
        if check.compress().0 != self.r_prime {
            return Err(Error::InvalidResponse);
        }
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(&self.r_prime);
        signature[32..].copy_from_slice(&s_prime.to_bytes());
        // schnorrkel's marker: distinguishes sr25519 from ed25519 signatures.
        signature[63] |= 0x80;
        Ok(signature)
    }
}

#[cfg(test)]
mod tests;
