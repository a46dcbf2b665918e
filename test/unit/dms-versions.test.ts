// The one table of DMS engine versions: the default can be created with, end dates are honoured.
import { describe, expect, it } from "vitest";
import { creatableDmsEngineVersions, DEFAULT_DMS_ENGINE_VERSION, DMS_ENGINE_VERSIONS } from "../../modules/dms/dms-versions.js";

describe("DMS engine versions", () => {
  it("defaults to a version with no announced end", () => {
    expect(DMS_ENGINE_VERSIONS.find((row) => row.version === DEFAULT_DMS_ENGINE_VERSION)).toEqual({ version: DEFAULT_DMS_ENGINE_VERSION, released: "2025-05-15" });
  });

  it("stops offering a version after AWS's no-new-instance date", () => {
    expect(creatableDmsEngineVersions("2026-02-28")).toEqual(["3.6.1", "3.6.0", "3.5.4", "3.5.3"]);
    expect(creatableDmsEngineVersions("2026-11-30")).toEqual(["3.6.1", "3.5.4"]);
    expect(creatableDmsEngineVersions("2027-02-01")).toEqual(["3.6.1"]);
  });
});
