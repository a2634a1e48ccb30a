"""The provider's claims: each user's email, and misbehaviour on demand, chosen by the
provider user's first name, so the console's checks meet real wrong tokens."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below goes into the id_token

    def get_additional_claims(self, request):
        user = request.user
        claims = {"email": user.email, "email_verified": user.last_name != "unverified"}
        if user.first_name == "wrong-audience":
            # For another client, naming this one as its authorized party: refused
            # only by a check of aud itself.
            claims["aud"] = "another-client"
            claims["azp"] = "console"
        if user.first_name == "wrong-nonce":
            claims["nonce"] = "not-the-nonce-the-console-sent"
        return claims

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if request.user.first_name == "wrong-signature":
            head, body, signature = signed.split(".")
            flipped = "A" if signature[10] != "A" else "B"
            signed = f"{head}.{body}.{signature[:10]}{flipped}{signature[11:]}"
        return signed
