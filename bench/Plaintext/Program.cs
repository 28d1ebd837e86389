// The ASP.NET Core template's minimal app: the ceiling a request through Kestrel on this machine can reach.
var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapGet("/plaintext", () => "Hello, World!");
app.Run();
