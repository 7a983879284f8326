use super::*;
use schnorrkel::{PublicKey, Signature};

/// Runs the whole protocol for `message`; returns the signature and the signer's
/// view of the session (R, c, s).
fn session(signer: &Signer, message: &[u8]) -> ([u8; 64], [[u8; 32]; 3]) {
    let (nonce, commitment) = signer.commit();
    let (blinded, challenge) = blind(&signer.public(), &commitment, message).unwrap();
    let response = signer.respond(nonce, &challenge).unwrap();
    let signature = blinded.unblind(&response).unwrap();
    (signature, [commitment, challenge, response])
}

#[test]
fn an_unblinded_signature_is_an_sr25519_signature_of_the_message() {
    let signer = Signer::generate();
    let message = b"livestars voucher: some bytes";
    let (signature, _) = session(&signer, message);

    let public = PublicKey::from_bytes(&signer.public()).unwrap();
    let parsed = Signature::from_bytes(&signature).unwrap();
    assert!(public
        .verify_simple(SUBSTRATE_CONTEXT, message, &parsed)
        .is_ok());
    assert!(verify(&signer.public(), message, &signature));

    assert!(public
        .verify_simple(SUBSTRATE_CONTEXT, b"another message", &parsed)
        .is_err());
    assert!(!verify(&signer.public(), b"another message", &signature));
    let other = Signer::generate();
    assert!(!verify(&other.public(), message, &signature));
}

#[test]
fn verify_agrees_with_schnorrkel_on_its_own_signatures() {
    let keypair = schnorrkel::Keypair::generate_with(OsRng);
    let message = b"signed by schnorrkel";
    let signature = keypair.sign_simple(SUBSTRATE_CONTEXT, message).to_bytes();
    let public = keypair.public.to_bytes();
    assert!(verify(&public, message, &signature));

    let mut unmarked = signature;
    unmarked[63] &= 0x7f;
    assert!(
        !verify(&public, message, &unmarked),
        "the marker bit is required"
    );
    let mut altered = signature;
    altered[0] ^= 1;
    assert!(!verify(&public, message, &altered));
}

#[test]
fn a_wrong_response_is_caught_when_unblinding() {
    let signer = Signer::generate();
    let (nonce, commitment) = signer.commit();
    let (blinded, challenge) = blind(&signer.public(), &commitment, b"m").unwrap();
    let mut response = signer.respond(nonce, &challenge).unwrap();
    response[0] ^= 1;
    assert_eq!(
        blinded.unblind(&response).err(),
        Some(Error::InvalidResponse)
    );

    let impostor = Signer::generate();
    let (nonce, commitment) = impostor.commit();
    let (blinded, challenge) = blind(&signer.public(), &commitment, b"m").unwrap();
    let response = impostor.respond(nonce, &challenge).unwrap();
    assert_eq!(
        blinded.unblind(&response).err(),
        Some(Error::InvalidResponse)
    );
}

#[test]
fn malformed_inputs_are_refused() {
    let signer = Signer::generate();
    let not_a_point = [0xff; 32];
    assert_eq!(
        blind(&not_a_point, &signer.public(), b"m").err(),
        Some(Error::InvalidPoint)
    );
    assert_eq!(
        blind(&signer.public(), &not_a_point, b"m").err(),
        Some(Error::InvalidPoint)
    );
    let (nonce, _) = signer.commit();
    assert_eq!(
        signer.respond(nonce, &[0xff; 32]).err(),
        Some(Error::InvalidScalar)
    );
    assert_eq!(
        Signer::from_bytes(&[0xff; 32]).err(),
        Some(Error::InvalidScalar)
    );
    assert!(!verify(&not_a_point, b"m", &[0; 64]));
}

#[test]
fn a_key_survives_its_file() {
    let signer = Signer::generate();
    let again = Signer::from_bytes(&signer.to_bytes()).unwrap();
    assert_eq!(again.public(), signer.public());
    let (signature, _) = session(&again, b"m");
    assert!(verify(&signer.public(), b"m", &signature));
}

/// The blindness argument, checked: every signature the signer later sees fits
/// every session it ran, so nothing in its records picks out the session that
/// produced a given signature; a signature of another message fits none.
#[test]
fn every_signature_fits_every_session_the_signer_saw() {
    let signer = Signer::generate();
    let runs: Vec<_> = (0..4u8).map(|i| session(&signer, &[i; 8])).collect();
    for (j, (signature, _)) in runs.iter().enumerate() {
        for (_, [r, c, s]) in &runs {
            let view = (r, c, s);
            assert!(session_fits(
                &signer.public(),
                view,
                &[j as u8; 8],
                signature
            ));
            assert!(!session_fits(&signer.public(), view, b"other", signature));
        }
    }
}

#[test]
fn a_plain_signature_is_an_sr25519_signature_too() {
    let signer = Signer::generate();
    let signature = signer.sign(b"issued directly");
    let public = PublicKey::from_bytes(&signer.public()).unwrap();
    let parsed = Signature::from_bytes(&signature).unwrap();
    assert!(public
        .verify_simple(SUBSTRATE_CONTEXT, b"issued directly", &parsed)
        .is_ok());
    assert!(!verify(&signer.public(), b"issued differently", &signature));
}
