import { chromium, devices } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
for (const [name, opts] of [["desktop", { viewport: { width: 1280, height: 800 } }], ["phone", devices["Pixel 7"]]]) {
  const ctx = await browser.newContext(opts);
  await ctx.addCookies([{ name: "sb_session", value: "qBZh3HH9L75rEApYAYd9uATHiIUJzjYDs2V-3p4F6BE", url: "http://127.0.0.1:3300" }]);
  const page = await ctx.newPage();
  await page.goto("http://127.0.0.1:3300/settings?next=/dashboard");
  await page.screenshot({ path: "/tmp/settings-" + name + ".png", fullPage: true });
  await page.getByRole("button", { name: "Sign out other devices" }).click();
  await page.getByText("Signed out of").waitFor();
  await page.screenshot({ path: "/tmp/settings-after-" + name + ".png", fullPage: true });
}
await browser.close();
