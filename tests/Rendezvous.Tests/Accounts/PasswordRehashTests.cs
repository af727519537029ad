// A server database written by the PBKDF2 version: migration 3 keeps its hashes, and each account moves to Argon2id at its next sign-in.
using System.Security.Cryptography;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Storage.Migrations;
using P2PChat.Rendezvous.Tests.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Accounts;

public sealed class PasswordRehashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pbkdf2_account_signs_in_and_is_rehashed_with_argon2id_a_wrong_password_changes_nothing()
    {
        using var folder = new TempDirectory("p2pchat-rehash");
        var salt = RandomNumberGenerator.GetBytes(16);
        var pbkdf2 = Rfc2898DeriveBytes.Pbkdf2("password1"u8, salt, 1_000, HashAlgorithmName.SHA256, 32);
        using (var v2 = RawSqlite.Open(folder.Combine(SqliteStoreOptions.DatabaseFileName)))
        {
            await new SchemaMigrator([Migration001InitialSchema.Step, Migration002EndToEndKeys.Step]).MigrateAsync(v2, "v2.db", Ct);
            v2.Execute($"""
                INSERT INTO accounts (username, password_algorithm, password_iterations, password_salt, password_hash, nickname, created_at, is_admin)
                VALUES ('old', 1, 1000, x'{Convert.ToHexString(salt)}', x'{Convert.ToHexString(pbkdf2)}', 'Old Timer', 0, 0);
                """);
        }

        await using var server = await TestServer.StartAsync(folder: folder);
        var before = (await server.Store.FindAccountByUsernameAsync("old", Ct))!.Password;
        Assert.Equal(PasswordAlgorithm.Pbkdf2HmacSha256, before.Algorithm);
        Assert.Equal(0, before.MemoryKib);

        await using (var wrong = await server.ConnectAsync())
        {
            await wrong.SendAsync(new Core.Protocol.Frames.Iam("old", "password2"));
            await wrong.ExpectAsync<Core.Protocol.Frames.Status>(s => s.Code == Core.Protocol.StatusCode.WrongPassword);
        }
        Assert.Equal(PasswordAlgorithm.Pbkdf2HmacSha256, (await server.Store.FindAccountByUsernameAsync("old", Ct))!.Password.Algorithm);

        await using (var client = await server.ConnectAsync())
            await client.SignInAsync("old", "password1");
        var after = (await server.Store.FindAccountByUsernameAsync("old", Ct))!.Password;
        Assert.Equal(PasswordAlgorithm.Argon2id, after.Algorithm);
        Assert.Equal(server.Options.PasswordMemoryKib, after.MemoryKib);
        Assert.Equal(server.Options.PasswordPasses, after.Iterations);
        Assert.True(PasswordHasher.Verify("password1", after));

        await using var again = await server.ConnectAsync();
        await again.SignInAsync("old", "password1");
    }
}
