import CGDAL
import Foundation

/// Encodes an RGBA image as PNG through GDAL's PNG driver, in memory (`/vsimem`), so reports can
/// embed it and the pipeline can stage it like any other output.
public enum PNGEncoder {
    public static func encode(rgba: [UInt8], width: Int, height: Int) throws -> Data {
        precondition(rgba.count == width * height * 4, "RGBA needs 4 bytes per pixel")
        GDALRuntime.ensureRegistered()
        guard let mem = GDALGetDriverByName("MEM"), let png = GDALGetDriverByName("PNG") else {
            throw gdalError("find the MEM and PNG drivers")
        }
        guard let raw = GDALCreate(mem, "", Int32(width), Int32(height), 4, GDT_Byte, nil) else {
            throw gdalError("allocate a \(width)×\(height) image")
        }
        let ds = GDALDatasetHandle.adopt(raw, path: "risk.png")
        for band in 0..<4 {
            let status = rgba.withUnsafeBytes { buf in
                GDALRasterIO(GDALGetRasterBand(ds.handle, Int32(band + 1)), GF_Write, 0, 0, Int32(width), Int32(height),
                             UnsafeMutableRawPointer(mutating: buf.baseAddress! + band), Int32(width), Int32(height), GDT_Byte,
                             4, Int32(width * 4))
            }
            guard status == CE_None else { throw gdalError("fill the image") }
        }
        let name = "/vsimem/rtm-\(UUID().uuidString).png"
        guard let out = GDALCreateCopy(png, name, ds.handle, 0, nil, nil, nil) else { throw gdalError("encode PNG") }
        GDALClose(out)
        var length: vsi_l_offset = 0
        guard let buffer = VSIGetMemFileBuffer(name, &length, 1) else { throw gdalError("read the encoded PNG") }
        defer { VSIFree(buffer) }
        // GDAL may write a .aux.xml beside it for the colour interpretation; drop it.
        VSIUnlink(name + ".aux.xml")
        return Data(bytes: buffer, count: Int(length))
    }
}
