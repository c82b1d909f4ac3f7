using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace OpenClaw.EdgeGateway.Tests.Infrastructure;

/// <summary>A device identity as the official clients make one: an Ed25519 key, id = hex SHA-256 of the raw public key.</summary>
internal sealed class TestDevice
{
    private readonly Ed25519PrivateKeyParameters _privateKey;

    public TestDevice()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        _privateKey = (Ed25519PrivateKeyParameters)pair.Private;
        PublicKeyRaw = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        Id = Convert.ToHexStringLower(SHA256.HashData(PublicKeyRaw));
    }

    public byte[] PublicKeyRaw { get; }

    public string Id { get; }

    public string PublicKeyBase64Url => Base64Url(PublicKeyRaw);

    public string Sign(string payload)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        var bytes = Encoding.UTF8.GetBytes(payload);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return Base64Url(signer.GenerateSignature());
    }

    /// <summary>Adds a signed <c>device</c> to <paramref name="connect"/> (v3 unless <paramref name="version"/> is 2).</summary>
    public JsonObject Attach(JsonObject connect, string nonce, long signedAt, int version = 3, string? signedNonce = null, string? id = null)
    {
        var client = connect["client"]!.AsObject();
        var scopes = string.Join(',', connect["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        var token = connect["auth"]?["token"]?.GetValue<string>() ?? "";
        var parts = new List<string>
        {
            $"v{version}", Id, client["id"]!.GetValue<string>(), client["mode"]!.GetValue<string>(),
            connect["role"]!.GetValue<string>(), scopes, signedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), token, signedNonce ?? nonce,
        };
        if (version == 3)
        {
            parts.Add(client["platform"]!.GetValue<string>().Trim().ToLowerInvariant());
            parts.Add(client["deviceFamily"]?.GetValue<string>().Trim().ToLowerInvariant() ?? "");
        }
        connect["device"] = new JsonObject
        {
            ["id"] = id ?? Id,
            ["publicKey"] = PublicKeyBase64Url,
            ["signature"] = Sign(string.Join('|', parts)),
            ["signedAt"] = signedAt,
            ["nonce"] = nonce,
        };
        return connect;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
